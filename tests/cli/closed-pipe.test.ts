import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';

let index: string;
beforeAll(async () => {
  ({ index } = await buildSampleIndex());
});

/**
 * Run the CLI with its stdout read end closed before it writes anything (what `| head -1` does once it has
 * its line): every write the command makes then fails with EPIPE.
 */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, PRIORS_MODEL_DIR: MODEL_DIR, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('output into a closed pipe', () => {
  it.each([
    ['stats', ['stats']],
    ['stats --json', ['stats', '--json']],
    ['search', ['search', 'open models a year behind', '-k', '20']],
    ['list', ['list', '--limit', '500']],
  ])('%s ends quietly with exit 0', async (_name, args) => {
    const r = await intoClosedPipe([...args, '--index', index]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('output into a pipe', () => {
  it('a keyword search writes its results without creating process.stdout or process.stderr (no net module loaded)', () => {
    // Creating the streams for a pipe loads Node's net module, ~1.5 ms of a cold command (src/cli/stdio.ts). Keywords
    // only: the sample index's transformers.js model loads net for itself.
    const hook = path.join(tempDir(), 'modules.cjs');
    writeFileSync(
      hook,
      "process.on('exit', () => require('fs').writeSync(2, 'net loaded: ' + process.moduleLoadList.includes('NativeModule net') + '\\n'));\n",
    );
    const r = spawnSync(
      process.execPath,
      ['--require', hook, CLI, 'search', 'open models a year behind', '-k', '2', '--mode', 'bm25', '--index', index],
      {
        encoding: 'utf8',
        env: { ...process.env, PRIORS_MODEL_DIR: MODEL_DIR, NO_COLOR: '1' },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\. /);
    expect(r.stderr).toBe('net loaded: false\n');
  });
});
