import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKillRounds } from '../../scripts/lib/fault-injection.js';
import { CLI, CORPUS, MODEL_DIR } from '../helpers/paths.js';
import { TEST_MODEL, tempDir } from '../helpers/sample-index.js';

// Real SIGKILLs at random moments of ingests that edit, delete and (afterwards) revert files: after each
// kill the next ingest must leave an index that mirrors the files exactly (scripts/lib/index-integrity.ts).
describe('SIGKILL at random moments', () => {
  it('the next ingest always mirrors the files: no orphans, no deleted or reverted text', { timeout: 900_000 }, async () => {
    const work = tempDir();
    const archive = path.join(work, 'archive');
    for (let i = 0; i < 8; i++) cpSync(path.join(CORPUS, 'posts'), path.join(archive, `copy-${i}`), { recursive: true });
    const result = await runKillRounds({
      cli: CLI,
      archive,
      index: path.join(work, 'index'),
      ingestArgs: ['--model', TEST_MODEL, '--model-dir', MODEL_DIR],
      rounds: 10,
      seed: 13,
      editsPerRound: 30,
    });
    expect(result.problems).toEqual([]);
    expect(result.orphans).toBe(0);
    expect(result.kills).toBeGreaterThanOrEqual(5);
    expect(result.recoveries).toBe(result.kills + result.finishedFirst);
  });
});
