import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEmbedder } from '../../src/embed/load-embedder.js';
import { ingest, type IngestReport } from '../../src/ingest/ingest.js';
import { createToolContext } from '../../src/tools/context.js';
import { OTHER_TEST_MODEL, TINY_TEST_MODEL } from '../../scripts/make-tiny-model.js';
import { CORPUS, MODEL_DIR } from './paths.js';

/** The repo's own tiny models (see MODEL_DIR): mechanics only, their vectors mean nothing. */
export const TEST_MODEL = TINY_TEST_MODEL.id;
export const OTHER_MODEL = OTHER_TEST_MODEL.id;

/** The temporary folders this test file made, removed after its tests (tests/helpers/remove-temp-dirs.ts). */
const made: string[] = [];

export function tempDir(prefix = 'priors-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every folder `tempDir` made: left behind, each run of the suite kept gigabytes (the packed installs). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A real on-disk index of the repo's sample corpus, embedded with the tiny test model (or a model from `modelDir`). */
export async function buildSampleIndex(
  model = TEST_MODEL,
  roots = [CORPUS],
  modelDir = MODEL_DIR,
): Promise<{ index: string; report: IngestReport }> {
  const index = path.join(tempDir(), 'index');
  const embedder = await loadEmbedder({ backend: 'transformers', model, modelDir });
  try {
    const report = await ingest({ roots, index, embedder });
    return { index, report };
  } finally {
    await embedder.dispose();
  }
}

export function sampleContext(index: string, modelDir = MODEL_DIR) {
  return createToolContext({ index, modelDir, onWarning: () => undefined });
}
