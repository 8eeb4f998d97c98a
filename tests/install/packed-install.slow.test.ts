import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, MODEL_DIR, REPO } from '../helpers/paths.js';
import { TEST_MODEL, tempDir } from '../helpers/sample-index.js';

/**
 * The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into an empty prefix, and
 * everything below runs through the installed `priors` bin (never the repository's own files).
 */
const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const work = tempDir('priors-packed-');
const prefix = path.join(work, 'prefix');
const bin = path.join(prefix, 'bin', 'priors');
const index = path.join(work, 'index');
const home = path.join(work, 'home');
// The repo's tiny test model (written by the tests' global setup), so the installed package embeds too.
const modelEnv: Record<string, string> = { PRIORS_MODEL_DIR: MODEL_DIR, PRIORS_MODEL: TEST_MODEL };

// An empty config home and working directory: nothing from the user's or the repository's config leaks in.
const env = { ...process.env, ...modelEnv, XDG_CONFIG_HOME: home, HOME: home, NO_COLOR: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' };

function priors(args: string[]) {
  const r = spawnSync(bin, args, { cwd: work, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tarball: string;
beforeAll(() => {
  // `npm pack` runs `prepare` (the build), so the tarball carries a fresh dist/.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: REPO,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tarball = path.join(work, (JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[])[0]!.filename);
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: work, env, stdio: 'pipe' });
}, 600_000);

describe('the packed tarball installed into an empty prefix', () => {
  it('ships what runs and nothing else', () => {
    const root = path.join(prefix, 'lib', 'node_modules', 'priors');
    const top = readdirSync(root)
      .filter((f) => f !== 'node_modules')
      .sort();
    expect(top).toEqual(['.claude-plugin', 'CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'docs', 'package.json', 'skills', 'web']);
    expect(existsSync(path.join(root, 'dist', '.tsbuildinfo'))).toBe(false);
    expect(existsSync(path.join(root, 'dist', 'lib.d.ts'))).toBe(true);
  });

  it('priors --version', () => {
    const r = priors(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('ingests the sample corpus and searches it', () => {
    const ing = priors(['ingest', CORPUS, '--index', index, '--json']);
    expect(ing.code, ing.stderr).toBe(0);
    expect((JSON.parse(ing.stdout) as { documents: number }).documents).toBeGreaterThan(10);
    const r = priors(['search', 'open models a year behind', '-k', '3', '--json', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { results: { citation: string }[] };
    expect(out.results).toHaveLength(3);
    expect(out.results[0]!.citation).toMatch(/:\d+(-\d+)?$/);
  });

  it('serves MCP: list tools, call search', async () => {
    const transport = new StdioClientTransport({
      command: bin,
      args: ['mcp', '--index', index],
      env: { ...getDefaultEnvironment(), ...modelEnv, XDG_CONFIG_HOME: home },
      cwd: work,
      stderr: 'pipe',
    });
    let stderr = '';
    (transport.stderr as Readable | null)?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'priors-packed-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('search');
      const res = (await client.callTool({ name: 'search', arguments: { query: 'calibration', k: 2 } })) as {
        isError?: boolean;
        content: { type: string; text?: string }[];
      };
      expect(res.isError ?? false, stderr).toBe(false);
      expect(res.content.map((c) => c.text ?? '').join('\n')).toMatch(/calibration/i);
    } finally {
      await client.close();
    }
  });

  it("imports { openArchive } from 'priors', typed", () => {
    // Beside the installed node_modules, so the bare specifier resolves to the installed package.
    const libDir = path.join(prefix, 'lib');
    const check = path.join(libDir, 'check.mts');
    writeFileSync(
      check,
      [
        "import { openArchive, type SearchOutput } from 'priors';",
        `const archive = await openArchive(${JSON.stringify(index)});`,
        "const out: SearchOutput = await archive.search({ query: 'calibration', k: 2 });",
        'await archive.close();',
        'console.log(JSON.stringify(out));',
        'export {};',
      ].join('\n'),
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = [
      '--strict',
      '--noEmit',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--types',
      'node',
    ];
    const typed = spawnSync(process.execPath, [tsc, ...flags, '--typeRoots', path.join(REPO, 'node_modules', '@types'), check], {
      cwd: libDir,
      encoding: 'utf8',
    });
    expect(typed.status, typed.stdout + typed.stderr).toBe(0);

    const js = path.join(libDir, 'check.mjs');
    writeFileSync(js, readFileSync(check, 'utf8').replace(', type SearchOutput', '').replace(': SearchOutput', ''));
    const r = spawnSync(process.execPath, [js], { cwd: libDir, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(2);
  });
});
