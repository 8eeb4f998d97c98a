/** The recorded-outputs check of `normalize-golden.test.ts` on every file, paragraph and line of the real archive. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { goldenOf } from './normalize-golden.js';

describe.skipIf(!has('sharedData'))('normalizeForMatch against its recorded outputs on the archive', () => {
  it('every file, paragraph and line, and their highlight spans', () => {
    const golden = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'normalize-golden.json'), 'utf8')) as {
      archive: Record<string, [string, string]>;
    };
    expect(goldenOf(path.join(SHARED_DATA, 'interconnects'), SHARED_DATA)).toEqual(golden.archive);
  });
});
