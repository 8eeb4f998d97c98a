import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { beforeEach, describe, expect, it } from 'vitest';
import { INDEX_FORMAT_VERSION } from '../../src/index/settings.js';
import { CLI } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'v0.1.0');

function priors(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let archive: string;
let index: string;

beforeEach(() => {
  const work = tempDir();
  archive = path.join(work, 'archive');
  index = path.join(work, 'index');
  cpSync(path.join(FIXTURE, 'archive'), archive, { recursive: true });
  cpSync(path.join(FIXTURE, 'index'), index, { recursive: true });
});

describe('an index written by priors 0.1.0 (format 1)', () => {
  it('readers refuse it in one line that names the command to run', () => {
    for (const args of [
      ['search', 'calibration', '--index', index, '--json'],
      ['stats', '--index', index],
      ['list', '--index', index],
    ]) {
      const r = priors(args);
      expect(r.code, args[0]).not.toBe(0);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `older priors \\(index format 1, this version reads ${INDEX_FORMAT_VERSION}\\) — run \`priors ingest <your folders> --index .*\` to rebuild it`,
        ),
      );
    }
  });

  it('ingest rebuilds it from the files with a one-line notice, and drops the old tables', () => {
    const r = priors(['ingest', archive, '--index', index, '--no-embed']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^note: index at .* was written by an older priors \(index format 1\); rebuilding it/),
    ]);
    expect(r.stdout).toMatch(/2 added, 0 updated, 0 removed, 0 unchanged/);
    const search = priors(['search', 'calibrated forecaster', '--index', index, '--json']);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).results[0]).toMatchObject({
      docId: 'archive/calibration.md',
      text: expect.stringContaining('A calibrated forecaster'),
    });
    expect(existsSync(path.join(index, 'chunks.lance'))).toBe(false);
    expect(existsSync(path.join(index, 'documents.lance'))).toBe(false);
    expect(readdirSync(index).sort()).toEqual([
      'chunks_1.lance',
      'documents_1.lance',
      expect.stringMatching(/^meta-\d+\.json$/),
      'meta.lance',
    ]);
    // The next run has nothing to do and says nothing.
    const again = priors(['ingest', archive, '--index', index, '--no-embed']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/0 added, 0 updated, 0 removed, 2 unchanged/);
  });
});

describe('an index written by a newer priors', () => {
  it('is refused by readers and by ingest, and replaced only with --rebuild', async () => {
    expect(priors(['ingest', archive, '--index', index, '--no-embed']).code).toBe(0);
    const db = await lancedb.connect(index);
    const meta = await db.openTable('meta');
    const rows = (await meta.query().toArray()) as { key: string; value: string }[];
    const newer = rows.map((r) =>
      r.key === 'settings' ? { ...r, value: JSON.stringify({ ...JSON.parse(r.value), formatVersion: 99 }) } : r,
    );
    await db.createTable('meta', newer, { mode: 'overwrite' });
    db.close();
    const search = priors(['search', 'calibration', '--index', index]);
    expect(search.code).not.toBe(0);
    // The index remembers its root, so the command it names needs no folders.
    expect(search.stderr).toMatch(
      new RegExp(
        `newer priors \\(index format 99, this version reads ${INDEX_FORMAT_VERSION}\\) — upgrade priors, or rebuild it with \`priors ingest --index \\S+ --rebuild\``,
      ),
    );
    const ingest = priors(['ingest', archive, '--index', index, '--no-embed']);
    expect(ingest.code).not.toBe(0);
    expect(ingest.stderr).toMatch(/newer priors .* rebuild it with `priors ingest --index \S+ --rebuild`/);
    const rebuild = priors(['ingest', '--index', index, '--no-embed', '--rebuild']);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(priors(['search', 'calibration', '--index', index]).code).toBe(0);
  });
});

describe('an index of the previous format that remembers its roots', () => {
  it('a bare ingest rebuilds it from those roots, with their settings, and a notice', async () => {
    const add = priors([
      'ingest',
      archive,
      '--name',
      'notes',
      '--url-template',
      'https://notes.example/{stem}',
      '--index',
      index,
      '--no-embed',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const db = await lancedb.connect(index);
    const meta = await db.openTable('meta');
    const rows = (await meta.query().toArray()) as { key: string; value: string }[];
    const older = rows.map((r) =>
      r.key === 'settings' ? { ...r, value: JSON.stringify({ ...JSON.parse(r.value), formatVersion: INDEX_FORMAT_VERSION - 1 }) } : r,
    );
    await db.createTable('meta', older, { mode: 'overwrite' });
    db.close();
    expect(priors(['stats', '--index', index]).stderr).toMatch(/— run `priors ingest --index \S+` to rebuild it/);
    const r = priors(['ingest', '--index', index, '--no-embed']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`older priors \\(index format ${INDEX_FORMAT_VERSION - 1}\\); rebuilding it`));
    expect(r.stdout).toMatch(/2 added, 0 updated, 0 removed, 0 unchanged/);
    const list = JSON.parse(priors(['list', '--index', index, '--json']).stdout) as { documents: { docId: string; url: string }[] };
    expect(list.documents.map((d) => d.url).sort()).toEqual([
      'https://notes.example/calibration',
      expect.stringMatching(/^https:\/\/notes\.example\//),
    ]);
  });
});
