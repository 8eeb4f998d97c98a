/**
 * The integrity audit the crash tests and scripts/bench-faults.ts run after an ingest: the index must mirror a
 * folder of Markdown files exactly (one root: documents are matched to files by their path in it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { chunkCards, documentTitles } from '../../src/index/chunk-search.js';
import { plainRows } from '../../src/index/plain-rows.js';
import { TYPED_FIELDS, type ChunkRow } from '../../src/index/schema.js';
import { IndexStore, metaFileVersions, readMetaFile, readMetaVersion } from '../../src/index/store.js';
import { sha256 } from '../../src/text/read-source.js';

export interface Audit {
  documents: number;
  chunks: number;
  /** Chunks whose document has no row. */
  orphans: number;
  /** Everything that is not as it must be, one line each (empty: the index mirrors the files). */
  problems: string[];
}

/** Markdown files under `dir`, by relative path. */
export function markdownFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const abs = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, abs).split(path.sep).join('/'), readFileSync(abs, 'utf8'));
  }
  return out;
}

/**
 * Audit the index against the files in `archive`: the set of documents is the set of files, each document row
 * has the file's current hash and exactly its chunks, every chunk is the file's text at its offsets and within
 * its lines, and no chunk holds any of `gone` (text only deleted or reverted versions had).
 */
export async function auditIndex(index: string, archive: string, gone: readonly string[] = []): Promise<Audit> {
  const files = markdownFiles(archive);
  const store = await IndexStore.open(index);
  try {
    const docs = await store.listDocuments();
    const chunks = await store.read(chunkCards);
    const problems: string[] = [];
    // One root: documents are keyed by their path in it (ids are `<root name>/<path>`).
    const relOf = new Map(docs.map((d) => [d.doc_id, d.rel_path]));
    const byDoc = new Map<string, typeof chunks>();
    for (const c of chunks) {
      const key = relOf.get(c.doc_id) ?? c.doc_id;
      byDoc.set(key, [...(byDoc.get(key) ?? []), c]);
    }
    const rows = new Map(docs.map((d) => [d.rel_path, d]));
    for (const id of files.keys()) if (!rows.has(id)) problems.push(`${id}: file has no document`);
    let orphans = 0;
    for (const [id, list] of byDoc) {
      if (!rows.has(id)) {
        orphans += list.length;
        problems.push(`${id}: ${list.length} orphan chunks (no document row)`);
      }
    }
    for (const [id, row] of rows) {
      const text = files.get(id);
      if (text === undefined) {
        problems.push(`${id}: document of a deleted file`);
        continue;
      }
      if (row.content_hash !== sha256(Buffer.from(text))) problems.push(`${id}: document row is not the file's current version`);
      const list = (byDoc.get(id) ?? []).sort((a, b) => a.chunk_index - b.chunk_index);
      if (list.length !== row.chunk_count) problems.push(`${id}: ${list.length} chunks, the row says ${row.chunk_count}`);
      const lines = text.split('\n');
      for (const c of list) {
        if (text.slice(c.start, c.end) !== c.text) problems.push(`${id}#${c.chunk_index}: text is not the file's at ${c.start}-${c.end}`);
        else if (
          !lines
            .slice(c.line_start - 1, c.line_end)
            .join('\n')
            .includes(c.text)
        ) {
          problems.push(`${id}#${c.chunk_index}: text is not within lines ${c.line_start}-${c.line_end}`);
        }
      }
    }
    for (const phrase of gone) {
      const holders = chunks.filter((c) => c.text.includes(phrase));
      if (holders.length > 0) problems.push(`"${phrase}" (gone from the files) is still in ${holders.map((c) => c.doc_id).join(', ')}`);
    }
    problems.push(...(await cardProblems(store)), ...(await searchFactsProblems(store)), ...(await metaFileProblems(index)));
    return { documents: docs.length, chunks: chunks.length, orphans, problems };
  } finally {
    store.close();
  }
}

/**
 * Chunks whose cards (what searches read, `StoredChunkRow`) and typed columns (what filters test) disagree, one line
 * each: the writer makes both from one row, so any line here is a writer's bug.
 */
export async function cardProblems(store: IndexStore): Promise<string[]> {
  type Stored = Pick<ChunkRow, (typeof TYPED_FIELDS)[number]> & { hit_card: string; listed_card: string };
  const rows = await store.read((s) => plainRows<Stored>(s.chunks.query().select([...TYPED_FIELDS, 'hit_card', 'listed_card'])));
  return rows.flatMap((row) => {
    const card = { ...JSON.parse(row.hit_card), ...JSON.parse(row.listed_card) } as ChunkRow;
    // The text is a column only (see `HIT_FIELDS`).
    const differ = TYPED_FIELDS.filter((f) => f !== 'text' && card[f] !== row[f]);
    return differ.length ? [`${card.id}: the cards and the columns disagree on ${differ.join(', ')}`] : [];
  });
}

/**
 * Where what the meta table says of the tables for searches (`SearchFacts`, the titles) is not what the tables hold:
 * the speakers, titles and n-gram index a search would otherwise have read from them.
 */
export async function searchFactsProblems(store: IndexStore): Promise<string[]> {
  const sorted = (values: Iterable<string>) => JSON.stringify([...values].sort());
  return store.read(async (s) => {
    const problems: string[] = [];
    const rows = (await s.chunks.query().select(['speaker']).toArray()) as { speaker: string | null }[];
    const speakers = new Set(rows.flatMap((r) => (r.speaker ? [r.speaker] : [])));
    if (sorted(s.facts.speakers) !== sorted(speakers))
      problems.push(`speakers ${sorted(s.facts.speakers)}, the chunks have ${sorted(speakers)}`);
    const docs = (await (await s.documents()).query().select(['doc_id', 'title']).toArray()) as { doc_id: string; title: string | null }[];
    const titles = sorted(docs.flatMap((d) => (d.title ? [`${d.doc_id}\t${d.title}`] : [])));
    const published = sorted((await documentTitles(s)).map((t) => `${t.docId}\t${t.title}`));
    if (published !== titles) problems.push(`titles ${published}, the documents have ${titles}`);
    const charGrams = (await s.chunks.listIndices()).some((i) => i.columns.includes('text'));
    if (s.facts.charGrams !== charGrams)
      problems.push(`n-gram index ${s.facts.charGrams ? 'named' : 'not named'}, the chunks ${charGrams ? 'have' : 'lack'} it`);
    return problems;
  });
}

/** Where a meta file (`meta-<version>.json`, read instead of the meta table) is not the meta row of its version. */
export async function metaFileProblems(index: string): Promise<string[]> {
  const problems: string[] = [];
  for (const version of metaFileVersions(index)) {
    const row = await readMetaVersion(index, version).catch(() => null);
    if (!row) problems.push(`meta-${version}.json: the meta table has no version ${version}`);
    else if (!isDeepStrictEqual(readMetaFile(index, version), row))
      problems.push(`meta-${version}.json is not the meta row of its version`);
  }
  return problems;
}

/** Every file under a folder with its size and mtime: what "a no-op ingest writes nothing" is checked against. */
export function folderListing(dir: string): Map<string, { size: number; mtimeMs: number }> {
  const out = new Map<string, { size: number; mtimeMs: number }>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    const { size, mtimeMs } = statSync(abs);
    out.set(path.relative(dir, abs), { size, mtimeMs });
  }
  return out;
}

export function folderBytes(dir: string): number {
  return [...folderListing(dir).values()].reduce((n, f) => n + f.size, 0);
}
