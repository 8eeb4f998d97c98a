import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Wall and CPU time of one whole process, ms. */
export interface ProcessTime {
  wall: number;
  cpu: number;
}

/**
 * A runner of whole `node …` processes that times each one. On a shared machine wall time moves with everyone
 * else's load, so each process also reports its own CPU time (user + system, all threads) on fd 3 as it exits,
 * through a hook written into `dir`; a bare `node -e 0` run through the same runner loads the hook alike.
 * `cpu: false` runs the processes as they are, without the hook, and reports wall time only (`cpu` NaN): loading
 * the hook costs a bare `node -e 0` ~2 ms (Node's CommonJS loader, which the bare run would not start otherwise)
 * but a CommonJS program hardly anything, so start-up ratios are measured without it.
 */
export function processTimer(
  dir: string,
  baseEnv?: Record<string, string>,
  options: { cpu?: boolean } = {},
): (args: string[], env?: Record<string, string>) => ProcessTime {
  const hook = path.join(dir, 'cpu-hook.cjs');
  writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeSync(3, String((u.userCPUTime + u.systemCPUTime) / 1000)); });\n",
  );
  return (args, env = {}) => {
    const t = process.hrtime.bigint();
    const cpu = options.cpu ?? true;
    const r = spawnSync(process.execPath, cpu ? ['--require', hook, ...args] : args, {
      env: { ...(baseEnv ?? process.env), ...env },
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    const wall = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return { wall, cpu: cpu ? Number(r.output[3]?.toString() ?? Number.NaN) : Number.NaN };
  };
}

export function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? (v[m] ?? Number.NaN) : ((v[m - 1] ?? Number.NaN) + (v[m] ?? Number.NaN)) / 2;
}
