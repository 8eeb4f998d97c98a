import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO } from './paths.js';

const MAIN = path.join(REPO, 'src', 'cli', 'main.ts');

/** The CLI from source (no build needed) as a child process, with the LLM, token and index environment cleared. */
export function spawnPriors(args: string[], env: Record<string, string> = {}): ChildProcess {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['PRIORS_TOKEN', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PRIORS_LLM_MODEL', 'PRIORS_INDEX', 'PRIORS_CORPUS'])
    delete clean[k];
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: REPO,
    env: { ...clean, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A child's output so far and its exit code. */
export function collect(child: ChildProcess): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { out: () => out, err: () => err, exit };
}

/** Poll until `probe` gives a value (every 50 ms), or fail naming what was awaited. */
export async function waitFor<T>(probe: () => Promise<T | null> | T | null, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
