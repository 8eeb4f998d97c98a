import { cpSync } from 'node:fs';
import path from 'node:path';
import { CORPUS } from '../helpers/paths.js';
import { crashAndLockSuite } from './crash-and-lock-suite.js';

// 12 copies of the sample corpus: ~1,200 chunks, so a re-ingest writes two batches and can be killed between them.
const COPIES = 12;

crashAndLockSuite((dir) => {
  for (let i = 0; i < COPIES; i++) cpSync(path.join(CORPUS, 'posts'), path.join(dir, `copy-${i}`), { recursive: true });
}, 120_000);
