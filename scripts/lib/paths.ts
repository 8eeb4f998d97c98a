/**
 * Where the scripts find things: the repository, the build, the sample corpus, and beside the clone the real data and
 * the stand-in models (`../shared`, read-only; see its READMEs).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI (`npm run build`), run as a user runs it. */
export const CLI = path.join(REPO, 'dist', 'cli', 'main.js');
/** The sample archive the repository ships (`corpus/`). */
export const SAMPLE_CORPUS = path.join(REPO, 'corpus');
export const BENCHMARKS_MD = path.join(REPO, 'BENCHMARKS.md');
export const SHARED_DATA = path.resolve(REPO, '..', 'shared', 'data');
/** The stand-in ONNX models, a `--model-dir` folder. */
export const SHARED_MODELS = path.resolve(REPO, '..', 'shared', 'models');
/** The Interconnects posts, one folder per year. */
export const INTERCONNECTS = path.join(SHARED_DATA, 'interconnects', 'public');
