import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CORPUS, REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

/** The built library entry (what `import ... from 'priors'` loads), typed by its source. */
type Lib = typeof import('../../src/lib.js');
const lib = (await import(pathToFileURL(path.join(REPO, 'dist', 'lib.js')).href)) as Lib;

// A full-text index built by the CLI: needs no model, so this runs on a fresh clone too.
const index = path.join(tempDir(), 'index');
let archive: Awaited<ReturnType<Lib['openArchive']>>;
beforeAll(async () => {
  execFileSync(process.execPath, [CLI, 'ingest', CORPUS, '--index', index, '--no-embed', '--json'], { stdio: 'pipe' });
  archive = await lib.openArchive(index);
});
afterAll(() => archive?.close());

describe("import { openArchive } from 'priors'", () => {
  it('resolves through package.json exports', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import('priors').then((m) => console.log(typeof m.openArchive))"],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('function');
  });

  it('search, ask, timeline: the tool results, defaults filled in', async () => {
    const s = await archive.search({ query: 'open models a year behind', k: 3 });
    expect(s.mode).toBe('bm25');
    expect(s.results).toHaveLength(3);
    expect(s.results[0]!.citation).toMatch(/:\d+(-\d+)?$/);
    const a = await archive.ask({ question: 'calibration' });
    expect(a.documents.length).toBeGreaterThan(0);
    const t = await archive.timeline({ topic: 'RLHF', limit: 3 });
    expect(t.entries.length).toBeGreaterThan(0);
  });

  it('quote, cite, related, list, get', async () => {
    const q = await archive.quote({ text: 'open models are about a year behind the best closed ones' });
    expect(q.verdict).toBe('verified');
    const c = await archive.cite({ docId: 'posts/2023/2023-02-21-how-far-behind-open-models.md', lineStart: 15, format: 'plain' });
    expect(c.citation).toMatch(/about a year behind/);
    const r = await archive.related({
      text: 'Open models trail the closed frontier by about a year, and the gap is not closing as fast as people think.',
    });
    expect(r.documents.length).toBeGreaterThan(0);
    const l = await archive.list({ type: ['interview'] });
    expect(l.documents.every((d) => d.type === 'interview')).toBe(true);
    const g = await archive.get({ docId: l.documents[0]!.docId, maxChars: 500 });
    expect(g.text.length).toBeGreaterThan(0);
    const st = await archive.stats();
    expect(st.documents).toBe(14);
    const roots = await archive.roots();
    expect(roots.roots.map((r) => [r.name, r.documents])).toEqual([['corpus', 14]]);
  });

  it('rejects bad input with the field named, and a missing index with IndexMissingError', async () => {
    await expect(archive.search({ query: ' ' })).rejects.toThrow(/query: the query is empty/);
    await expect(lib.openArchive(path.join(tempDir(), 'nothing-here'))).rejects.toBeInstanceOf(lib.IndexMissingError);
  });
});
