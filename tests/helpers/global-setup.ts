import type { TestProject } from 'vitest/node';
import { OTHER_TEST_MODEL, TINY_TEST_MODEL, makeTinyModel } from '../../scripts/make-tiny-model.js';
import { MODEL_DIR } from './paths.js';
import { tierNotices } from './resources.js';

/**
 * Runs once per tier (vitest project) that has tests queued. Every tier gets the repo's own tiny
 * models, so mechanical tests need nothing beside the clone; a tier whose resources are missing
 * says so here, once, instead of skipping silently.
 */
export default function setup(project: TestProject): void {
  for (const spec of [TINY_TEST_MODEL, OTHER_TEST_MODEL]) makeTinyModel(MODEL_DIR, spec);
  for (const line of tierNotices(project.name)) console.warn(line);
}
