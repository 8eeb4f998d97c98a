import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';

let index: string;
beforeAll(async () => {
  ({ index } = await buildSampleIndex());
});

function priors(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PRIORS_MODEL_DIR: MODEL_DIR, NO_COLOR: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('priors search --json', () => {
  it('prints one object {query, results[]} with the contract fields (absent values null)', () => {
    const r = priors(['search', 'open models a year behind', '-k', '3', '--json', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { query: string; results: Record<string, unknown>[] };
    expect(out.query).toBe('open models a year behind');
    expect(out.results).toHaveLength(3);
    for (const res of out.results) {
      for (const k of [
        'docId',
        'title',
        'date',
        'url',
        'type',
        'section',
        'speaker',
        'timestamp',
        'lineStart',
        'lineEnd',
        'score',
        'text',
      ]) {
        expect(res, k).toHaveProperty(k);
        expect(res[k], k).not.toBeUndefined();
      }
    }
  });

  it('--batch reads {id, query} lines and prints one {id, results} line each', () => {
    const file = path.join(tempDir(), 'q.jsonl');
    writeFileSync(file, '{"id":"a","query":"calibration"}\n{"id":"b","query":"reward model over-optimisation"}\n');
    const r = priors(['search', '--batch', file, '-k', '4', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; results: unknown[] });
    expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines[1]!.results).toHaveLength(4);
  });

  it('names each bad line of a batch file, answers the others and exits non-zero', () => {
    const file = path.join(tempDir(), 'bad.jsonl');
    writeFileSync(
      file,
      [
        '{"id":"a","query":"calibration"}',
        '{not json',
        '{"id":"c"}',
        '{"id":"d","query":"   "}',
        '{"_id":"e","text":"reward model over-optimisation"}',
        '{"query":"open models"}',
      ].join('\n'),
    );
    const r = priors(['search', '--batch', file, '-k', '2', '--index', index]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:2: not valid JSON/);
    expect(r.stderr).toMatch(/bad\.jsonl:3: needs a "query"/);
    expect(r.stderr).toMatch(/bad\.jsonl:4: .*empty/);
    expect(r.stderr).toMatch(/3 of 6 lines .* failed/);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; results?: unknown[]; error?: string });
    expect(out.map((l) => l.id)).toEqual(['a', '2', 'c', 'd', 'e', '6']);
    expect(out.map((l) => (l.results ? l.results.length : l.error ? 'error' : '?'))).toEqual([2, 'error', 'error', 'error', 2, 2]);
  });
});

describe('errors a user can hit', () => {
  it('empty query', () => {
    const r = priors(['search', '  ', '--index', index]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: search: query: the query is empty$/);
  });

  it('missing index names the path and the fix', () => {
    const missing = path.join(tempDir(), 'nothing-here');
    const r = priors(['search', 'calibration', '--index', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`error: no index at ${missing} — run \`priors ingest\` first`);
  });

  it('an --index that is a file, and a --batch that is a folder or binary, are one line naming them (exit 2)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'not an index\n');
    const expected = `error: ${file} is a file, not an index folder: --index names the folder \`priors ingest\` writes`;
    // Reading: LanceDB answered with a Rust error dump; writing: mkdir's EEXIST.
    for (const args of [['stats'], ['search', 'calibration'], ['ingest', dir, '--no-embed']]) {
      const r = priors([...args, '--index', file]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toBe(expected);
    }
    const batch = priors(['search', '--batch', dir, '--index', index]);
    expect(batch.code).toBe(2);
    expect(batch.stderr.trim()).toBe(`error: --batch: ${dir} is a folder, not a file`);
    const binary = path.join(dir, 'model.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0x0a, 1, 2, 0, 0x0a, 0, 3]));
    const bin = priors(['search', '--batch', binary, '--index', index]);
    expect(bin.code).toBe(2);
    expect(bin.stderr.trim()).toBe(`error: --batch: ${binary} is a binary file (NUL bytes at line 1), not JSON lines`);
  });

  it('unknown flag', () => {
    const r = priors(['search', 'x', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('bad date filter', () => {
    const r = priors(['search', 'x', '--since', 'yesterday', '--index', index]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/since/);
  });

  it('a model that cannot be loaded falls back to full-text search with a warning, not a stack trace', () => {
    const r = priors(['search', 'calibration', '-k', '2', '--json', '--index', index], { PRIORS_MODEL_DIR: tempDir() });
    // The index was built with a model that is not found anywhere now.
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*full-text search only/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout).results).toHaveLength(2);
  });
});

describe('priors ingest', () => {
  it('reports skipped files as one-line warnings, keeps going, and fails only with --strict', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'good.md'), '---\ntitle: Good\n---\n\nA paragraph about calibration.\n');
    writeFileSync(path.join(dir, 'empty.md'), '');
    const index = path.join(dir, '.index');
    const plain = priors(['ingest', dir, '--index', index, '--no-embed']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(new RegExp(`^warning: ${path.basename(dir)}/empty\\.md: skipped, empty file$`, 'm'));
    expect(plain.stdout).toMatch(/1 added, 0 updated, 0 removed, 0 unchanged, 1 skipped/);
    // Counts of one read as such (they said "1 documents", "(1 warnings)").
    expect(plain.stdout).toMatch(/^1 document, \d+ chunks?, model .* \(1 warning\)$/m);
    expect(priors(['list', '--index', index]).stdout).toMatch(/^1 document\n/);
    expect(priors(['roots', 'list', '--index', index]).stdout).toMatch(/ {2}1 document {2}/);
    // --mode vector on this full-text-only index runs bm25: a note on stderr, JSON on stdout untouched.
    const vector = priors(['search', 'calibration', '--mode', 'vector', '--json', '--index', index]);
    expect(vector.code, vector.stderr).toBe(0);
    expect(JSON.parse(vector.stdout).mode).toBe('bm25');
    expect(vector.stderr).toMatch(/^note: --mode vector needs an index with vectors; this search ran bm25/m);
    // A misspelt root or type is a usage error listing the valid ones, not an empty answer.
    const root = priors(['search', 'calibration', '--root', 'nope', '--index', index]);
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/^error: no root "nope" in this index; its roots: /m);
    const type = priors(['list', '--type', 'podcats', '--index', index]);
    expect(type.code).toBe(2);
    expect(type.stderr).toMatch(/^error: no document type "podcats" in this index; types: post, interview, chapter/m);
    const strict = priors(['ingest', dir, '--index', index, '--no-embed', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error: 1 warning with --strict$/m);
  });

  it('a failed first ingest leaves no empty index folder behind', () => {
    const dir = tempDir();
    const index = path.join(dir, 'index');
    const r = priors(['ingest', path.join(dir, 'nope'), '--index', index, '--no-embed']);
    expect(r.code).toBe(2);
    expect(existsSync(index)).toBe(false);
    expect(priors(['stats', '--index', index]).stderr).toMatch(/no index at /);
  });

  it('says so when a root holds nothing priors reads (a folder of PDFs, a .docx named alone), instead of an empty index and silence', () => {
    const dir = tempDir();
    const pdfs = path.join(dir, 'pdfs');
    mkdirSync(pdfs);
    writeFileSync(path.join(pdfs, 'talk.pdf'), '%PDF-1.4\n');
    writeFileSync(path.join(pdfs, 'notes.docx'), 'PK');
    const docx = path.join(dir, 'essay.docx');
    writeFileSync(docx, 'PK');
    const index = path.join(dir, '.index');
    const folder = priors(['ingest', pdfs, '--index', index, '--no-embed']);
    expect(folder.code, folder.stderr).toBe(0);
    expect(folder.stderr).toMatch(
      /^warning: root "pdfs": .*pdfs holds no file priors reads \(2 files of other types; it reads \.md .*\.jsonl\)$/m,
    );
    const file = priors(['ingest', docx, '--index', index, '--no-embed']);
    expect(file.stderr).toMatch(/^warning: .*essay\.docx: skipped, not a format priors reads \(\.md /m);
    expect(file.stdout).toMatch(/0 added, 0 updated, 0 removed, 0 unchanged, 1 skipped/);
  });

  it('--strict fails on every run while a broken file stays unchanged, and passes once it is fixed', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'good.md'), '---\ntitle: Good\n---\n\nA paragraph about calibration.\n');
    // Front matter strict YAML rejects (recovered line by line), and a JSONL file with one bad line.
    writeFileSync(path.join(dir, 'broken.md'), '---\ntitle: Broken: yes: really\n  - nope\n---\n\nText.\n');
    writeFileSync(path.join(dir, 'records.jsonl'), '{"id": "r1", "title": "One", "text": "First record."}\n{not json\n');
    const index = path.join(dir, '.index');
    for (let run = 1; run <= 3; run++) {
      const r = priors(['ingest', dir, '--index', index, '--no-embed', '--strict']);
      expect(r.code, `run ${run}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^warning: ${path.basename(dir)}/broken\\.md.*line`, 'm'));
      expect(r.stderr).toMatch(new RegExp(`^warning: ${path.basename(dir)}/records\\.jsonl:2: `, 'm'));
      expect(r.stderr).toMatch(/2 warnings with --strict/);
    }
    writeFileSync(path.join(dir, 'broken.md'), '---\ntitle: Fixed\n---\n\nText.\n');
    writeFileSync(path.join(dir, 'records.jsonl'), '{"id": "r1", "title": "One", "text": "First record."}\n');
    const fixed = priors(['ingest', dir, '--index', index, '--no-embed', '--strict']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toBe('');
  });

  it('--json is quiet on stderr and machine-readable on stdout', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.md'), '# A\n\nSome text.\n');
    const r = priors(['ingest', dir, '--index', path.join(dir, '.index'), '--no-embed', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 1, documents: 1 });
  });
});

describe('priors quote / cite / stats', () => {
  it('quote exit codes: 0 verified, 4 not found', () => {
    const ok = priors(['quote', 'open models are about a year behind the best closed ones', '--index', index]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^VERIFIED/);
    const no = priors(['quote', 'Penguins audit the tax code of medieval castles every spring.', '--index', index]);
    expect(no.code).toBe(4);
    expect(no.stdout).toMatch(/^NOT FOUND/);
  });

  it('quote exit codes: 0 verified with elisions (JSON names the guest and her time), 3 close', () => {
    const elided = priors([
      'quote',
      'So the model learns to sound like the kind of person … the fix we’ve had most luck with is aggregation',
      '--json',
      '--index',
      index,
    ]);
    expect(elided.code, elided.stderr).toBe(0);
    const out = JSON.parse(elided.stdout) as Record<string, unknown> & { fragments: { citation: string }[] };
    expect(out).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ines Okafor', role: 'guest', timestamp: '00:03:04' });
    expect(out.fragments).toHaveLength(2);
    const close = priors([
      'quote',
      'They can’t be in the test data, because the answer didn’t exist when the model was trained',
      '--index',
      index,
    ]);
    expect(close.code, close.stdout).toBe(3);
    expect(close.stdout).toMatch(/^CLOSE/);
  });

  it('related: a path that does not exist is an error naming it, unless --text', () => {
    const typo = priors(['related', 'drafts/my-draft.md', '--index', index]);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe('error: related: no file drafts/my-draft.md (to use these words as the draft, add --text)');
    const asText = priors(['related', 'drafts/my-draft.md', '--text', '--index', index, '--json']);
    expect(asText.code, asText.stderr).toBe(0);
    const prose = priors(['related', 'open models are a year behind and/or catching up', '--index', index, '--json']);
    expect(prose.code, prose.stderr).toBe(0);
  });

  it('cite and get name a line outside the document by the document id they were given', () => {
    for (const cmd of ['cite', 'get']) {
      const r = priors([cmd, '2023-02-21-how-far-behind-open-models.md:999', '--index', index]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr.trim(), cmd).toMatch(
        /^error: corpus\/posts\/2023\/2023-02-21-how-far-behind-open-models\.md has lines 1-\d+; line 999 is outside it$/,
      );
    }
  });

  it('get says how to continue a truncated document in the command line form', () => {
    const r = priors(['get', 'posts/2023/2023-02-21-how-far-behind-open-models.md', '--max-chars', '200', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /\[… truncated; continue with priors get corpus\/posts\/2023\/2023-02-21-how-far-behind-open-models\.md:\d+-\d+\]/,
    );
  });

  it('cite docId:lines prints the quoted lines', () => {
    const r = priors(['cite', 'posts/2023/2023-02-21-how-far-behind-open-models.md:15', '--format', 'plain', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/about a year behind/);
  });

  it('cite takes an elided quote and says where its fragments are', () => {
    const r = priors(['cite', 'the kind of person who says ninety … most luck with is aggregation', '--format', 'plain', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^"People reward answers that sound decisive, .* who says ninety … most luck with is aggregation\." — Ines Okafor/,
    );
    expect(r.stdout).toMatch(/\(verified with elisions: corpus\/posts\/2024\/2024-05-14-interview-ines-okafor\.md:\d+ … .*:\d+\)/);
  });

  it('stats --json', () => {
    const r = priors(['stats', '--json', '--index', index]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as {
      documents: number;
      chunks: number;
      words: number;
      model: string;
      dimension: number;
      sizeBytes: number;
    };
    expect(s.documents).toBe(14);
    expect(s.dimension).toBe(32);
    expect(s.model).toContain('priors/tiny-test-bert');
    expect(s.sizeBytes).toBeGreaterThan(0);
    expect(s.words).toBeGreaterThan(5000);
  });
});

describe('options from the tool schemas', () => {
  it('search --help shows every schema field with its description, values and default', () => {
    const r = priors(['search', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--per-doc <n>\s+with group=document: passages per document \(default\s+3\)/);
    expect(r.stdout).toMatch(/--mode <mode>[\s\S]*choices: "hybrid", "bm25", "vector"/);
    expect(r.stdout).toMatch(/--type <type>[\s\S]*repeatable or comma-separated/);
  });

  it('rejects a value outside the enum and a number that is not one, with exit 2', () => {
    const mode = priors(['search', 'x', '--mode', 'fuzzy', '--index', index]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/--mode <mode>.*'fuzzy' is invalid/);
    const k = priors(['search', 'x', '-k', 'three', '--index', index]);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/-k, --k <n>.*'three' is invalid.*whole number/);
  });

  it('top-level --help lists every command; help <command> shows its options', () => {
    const top = priors(['--help']);
    expect(top.code).toBe(0);
    for (const c of [
      'ingest',
      'stats',
      'ask',
      'search',
      'quote',
      'cite',
      'related',
      'check',
      'timeline',
      'list',
      'get',
      'eval',
      'chat',
      'serve',
      'mcp',
    ]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    }
    expect(priors(['help', 'list']).stdout).toMatch(/--sort <sort>/);
    // list's --type is worded as search's (its help once showed JSON arrays, which no command line takes).
    expect(priors(['list', '--help']).stdout).toMatch(/--type <type>\s+document types to keep: post, interview, chapter,/);
    expect(priors(['list', '--help']).stdout).not.toContain('["');
    // CLI help names CLI commands, not MCP tools, and does not claim that stats/list/get embed a query.
    const searchHelp = priors(['search', '--help']).stdout.replace(/\s+/g, ' ');
    expect(searchHelp).toContain('`priors roots list` shows them');
    expect(searchHelp).not.toContain('list_roots');
    for (const cmd of ['stats', 'list', 'get']) expect(priors([cmd, '--help']).stdout).not.toMatch(/embedding the query/);
    // Every verdict quote gives is named in its summary.
    expect(top.stdout.replace(/\s+/g, ' ')).toMatch(/VERIFIED \(also WITH ELISIONS\), CLOSE, PARAPHRASE or NOT FOUND/);
  });
});
