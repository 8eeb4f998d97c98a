import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { crashAndLockSuite } from './crash-and-lock-suite.js';

// The same checks on the real archive (196 posts of varied shape): minutes, so the slow tier.
describe.skipIf(!has('sharedData'))('crash and lock on the real archive', () => {
  crashAndLockSuite((dir) => cpSync(path.join(SHARED_DATA, 'interconnects', 'public'), dir, { recursive: true }), 300_000);
});
