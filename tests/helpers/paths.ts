import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = path.resolve(REPO, '..', 'shared');
export const SHARED_DATA = path.join(SHARED, 'data');
/** The stand-in models beside the clone (archive tier only: quality needs real vectors). */
export const SHARED_MODEL_DIR = path.join(SHARED, 'models');
/** The tiny test models, written by tests/helpers/global-setup.ts (scripts/make-tiny-model.ts) before any test runs. */
export const MODEL_DIR = path.join(REPO, 'test-artifacts', 'models');
export const CORPUS = path.join(REPO, 'corpus');
export const CLI = path.join(REPO, 'dist', 'cli', 'main.js');
