import { afterAll } from 'vitest';
import { removeTempDirs } from './sample-index.js';

// A setup file: runs in every test file, after its own afterAll hooks (which may still read their folders).
afterAll(removeTempDirs);
