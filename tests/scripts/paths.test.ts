/** The scripts take the repository, build, corpus and ../shared locations from one module, scripts/lib/paths.ts. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS_MD, CLI, INTERCONNECTS, REPO, SAMPLE_CORPUS, SHARED_DATA, SHARED_MODELS } from '../../scripts/lib/paths.js';

const SCRIPTS = path.join(REPO, 'scripts');
/** How a script would derive a location on its own: from its own URL, or by naming the folders. */
const OWN_PATHS = [
  /new URL\(\s*'\.\.?\//,
  /'\.\.', 'shared'/,
  /'shared', '(?:data|models)'/,
  /'dist', 'cli'/,
  /\((?:REPO|repo|ROOT), 'corpus'\)/,
];

describe('scripts/lib/paths.ts', () => {
  it('points at the repository, its build, corpus and benchmarks, and ../shared beside it', () => {
    expect(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).name).toBe('priors');
    expect(path.relative(REPO, CLI)).toBe(path.join('dist', 'cli', 'main.js'));
    expect(existsSync(path.join(SAMPLE_CORPUS, 'posts'))).toBe(true);
    expect(existsSync(BENCHMARKS_MD)).toBe(true);
    expect(path.relative(REPO, SHARED_DATA)).toBe(path.join('..', 'shared', 'data'));
    expect(path.relative(REPO, SHARED_MODELS)).toBe(path.join('..', 'shared', 'models'));
    expect(path.relative(SHARED_DATA, INTERCONNECTS)).toBe(path.join('interconnects', 'public'));
  });

  it('is the only place a script derives them', () => {
    const files = [
      ...readdirSync(SCRIPTS).filter((f) => /\.(?:ts|mjs)$/.test(f)),
      ...readdirSync(path.join(SCRIPTS, 'lib')).map((f) => `lib/${f}`),
    ].filter((f) => f !== 'lib/paths.ts');
    const own = files.filter((f) => OWN_PATHS.some((re) => re.test(readFileSync(path.join(SCRIPTS, f), 'utf8'))));
    expect(own).toEqual([]);
  });
});
