import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED = path.resolve(REPO, '..', 'shared');
export const SHARED_DATA = path.join(SHARED, 'data');
export const MODEL_DIR = path.join(SHARED, 'models');
export const CORPUS = path.join(REPO, 'corpus');
export const CLI = path.join(REPO, 'dist', 'cli', 'main.js');
