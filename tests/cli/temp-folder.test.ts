import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';

let index: string;
beforeAll(async () => {
  ({ index } = await buildSampleIndex());
});

/** Run the built CLI with a temporary folder of its own, and say what the run left in it. */
function run(args: string[]): { status: number | null; stdout: string; stderr: string; left: string[] } {
  const tmp = path.join(tempDir(), 'tmp');
  mkdirSync(tmp);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, PRIORS_MODEL_DIR: MODEL_DIR, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, left: readdirSync(tmp) };
}

describe('a command ends as soon as its output is written, and leaves nothing in the temporary folder', () => {
  it('search, and an index that is missing', () => {
    const found = run(['search', 'open models a year behind', '--index', index]);
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toMatch(/^1\. /);
    // LanceDB makes a spill folder for each connection, which its own teardown would have removed.
    expect(found.left).toEqual([]);
    const missing = run(['stats', '--index', path.join(tempDir(), 'nothing-here')]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no index at/);
    expect(missing.left).toEqual([]);
  });

  it('all of a long output arrives', () => {
    const r = run(['list', '--json', '--limit', '500', '--index', index]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toBeTruthy();
    expect(r.left).toEqual([]);
  });
});
