import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorSearch } from '../../src/index/chunk-search.js';
import type { ChunkRow, DocumentRow } from '../../src/index/schema.js';
import { DEFAULT_CHUNKING, INDEX_FORMAT_VERSION } from '../../src/index/settings.js';
import { IndexStore } from '../../src/index/store.js';
import { createVectorIndex, IndexWriter } from '../../src/index/writer.js';
import { tempDir } from '../helpers/sample-index.js';

/**
 * The chunk table has stable row ids (a compaction then leaves its indexes as they are). Under them an update in
 * place keeps a row's id, and LanceDB's IVF-PQ index, brought up to date by optimize(), then holds the row twice;
 * the writer therefore replaces a document's chunks by a delete and an add. This builds the vector index the
 * writer builds at scale, on a table just big enough to train it, and replaces one document's vectors there and
 * back.
 */

const DIM = 16;
const DOCS = 40;
const CHUNKS_PER_DOC = 50;

let seed = 7;
function randomVector(): number[] {
  return Array.from({ length: DIM }, () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647 - 0.5;
  });
}

function documentRow(docId: string): DocumentRow {
  return {
    doc_id: docId,
    root: 'r',
    rel_path: `${docId}.md`,
    abs_path: `/nowhere/${docId}.md`,
    content_hash: docId,
    file_hash: docId,
    mtime_ms: 0,
    size: 0,
    title: null,
    subtitle: null,
    date: null,
    url: null,
    type: 'text',
    source_type: null,
    container: null,
    chapter: null,
    tags: '',
    authors: '[]',
    people: '[]',
    turns: '[]',
    extra: '{}',
    line_base: 0,
    chunk_count: CHUNKS_PER_DOC,
    words: 0,
    ingested_at: '2026-01-01T00:00:00.000Z',
    warnings: '[]',
    links: '[]',
  };
}

function chunkRow(docId: string, chunkIndex: number, vector: number[]): ChunkRow {
  const text = `passage ${chunkIndex} of ${docId}`;
  return {
    id: `${docId}#${chunkIndex}`,
    doc_id: docId,
    root: 'r',
    chunk_index: chunkIndex,
    rel_path: `${docId}.md`,
    title: null,
    date: null,
    url: null,
    type: 'text',
    source_type: null,
    tags: '',
    section: null,
    speaker: null,
    timestamp: null,
    speakers: '',
    start: 0,
    end: text.length,
    line_start: 1,
    line_end: 1,
    text,
    passage_text: text,
    passage_start: 0,
    passage_end: text.length,
    passage_line_start: 1,
    passage_line_end: 1,
    fts_text: text,
    vector,
  };
}

let index: string;
let writer: IndexWriter;
const vectors = new Map<string, number[]>();

beforeAll(async () => {
  index = path.join(tempDir(), 'index');
  writer = await IndexWriter.open(index);
  await writer.begin(
    {
      formatVersion: INDEX_FORMAT_VERSION,
      embedding: { backend: 'transformers', model: 'random', dimension: DIM },
      chunking: DEFAULT_CHUNKING,
      createdAt: '2026-01-01T00:00:00.000Z',
      lastIngestAt: null,
    },
    { rebuild: false },
  );
  const docIds = Array.from({ length: DOCS }, (_, d) => `d${d}`);
  const chunks = docIds.flatMap((docId) =>
    Array.from({ length: CHUNKS_PER_DOC }, (_, c) => {
      const vector = randomVector();
      vectors.set(`${docId}#${c}`, vector);
      return chunkRow(docId, c, vector);
    }),
  );
  await writer.commit({ documents: docIds.map(documentRow), chunks, remove: [] });
  await createVectorIndex(writer.chunks);
  await writer.finish();
});

afterAll(() => writer.close());

/** Replace d0's chunks with these vectors, bring every index up to date and publish. */
async function replaceFirstDocument(vectorOf: (c: number) => number[]): Promise<void> {
  const chunks = Array.from({ length: CHUNKS_PER_DOC }, (_, c) => chunkRow('d0', c, vectorOf(c)));
  await writer.commit({ documents: [documentRow('d0')], chunks, remove: [] });
  await writer.refreshIndexes();
  await writer.publish();
}

async function nearestIds(vector: number[]): Promise<string[]> {
  const store = await IndexStore.open(index);
  try {
    return await store.read(async (s) => (await vectorSearch(s, Float32Array.from(vector), undefined, 5)).map((r) => r.row.id));
  } finally {
    store.close();
  }
}

describe('replacing chunks on a chunk table with stable row ids and a vector index', () => {
  it('the index gives each row once, with its current vector only', async () => {
    const original = vectors.get('d0#7') ?? [];
    expect((await nearestIds(original))[0]).toBe('d0#7');
    const replaced = Array.from({ length: CHUNKS_PER_DOC }, () => randomVector());
    await replaceFirstDocument((c) => replaced[c] ?? []);
    expect(await nearestIds(original)).not.toContain('d0#7');
    // And back: the row found by its old vector again, once.
    await replaceFirstDocument((c) => vectors.get(`d0#${c}`) ?? []);
    const ids = await nearestIds(original);
    expect(ids[0]).toBe('d0#7');
    expect(ids.filter((id) => id === 'd0#7')).toHaveLength(1);
  });
});
