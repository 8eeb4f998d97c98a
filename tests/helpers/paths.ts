import path from 'node:path';
import { CLI, REPO, SAMPLE_CORPUS, SHARED_DATA, SHARED_MODELS } from '../../scripts/lib/paths.js';

export { CLI, REPO, SHARED_DATA };
/** The stand-in models beside the clone (archive tier only: quality needs real vectors). */
export const SHARED_MODEL_DIR = SHARED_MODELS;
/** The tiny test models, written by tests/helpers/global-setup.ts (scripts/make-tiny-model.ts) before any test runs. */
export const MODEL_DIR = path.join(REPO, 'test-artifacts', 'models');
export const CORPUS = SAMPLE_CORPUS;
