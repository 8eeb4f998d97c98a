import * as lancedb from '@lancedb/lancedb';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { IndexMissingError, NotFoundError, PriorsError } from '../core/errors.js';
import type { IndexSettings } from './settings.js';
import { chunkSchema, documentSchema, metaSchema, sqlIn, type ChunkRow, type DocumentRow } from './schema.js';

const CHUNKS = 'chunks';
const DOCUMENTS = 'documents';
const META = 'meta';
const CORPUS_STATISTICS = 'corpus-statistics';
/** Below this many chunks a flat vector scan is fast enough (≈ milliseconds); above it an IVF-PQ index is built. */
export const ANN_INDEX_MIN_ROWS = 100_000;

/** Object-store URIs (s3://, gs://, …) are passed to LanceDB as they are; plain paths are resolved. */
export function isLocalLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

export function resolveLocation(location: string): string {
  return isLocalLocation(location) ? path.resolve(location) : location;
}

/** The ANN index `refreshIndexes()` builds on the chunk table (exported so scripts/bench-scale.ts times this very call). */
export async function createVectorIndex(table: lancedb.Table): Promise<void> {
  await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }) });
}

/** The on-disk index: a chunks table (text, metadata, vectors, FTS), a documents table and one settings row. */
export class IndexStore {
  private constructor(
    readonly location: string,
    private readonly db: lancedb.Connection,
    private settingsValue: IndexSettings | null,
    private corpusStatisticsValue: string | null,
    private chunkTable: lancedb.Table | null,
    private docTable: lancedb.Table | null,
  ) {}

  /** Open an index; with `create: false` a missing index is an `IndexMissingError`. */
  static async open(location: string, opts: { create: boolean }): Promise<IndexStore> {
    const resolved = resolveLocation(location);
    if (!opts.create && isLocalLocation(resolved) && !existsSync(resolved)) throw new IndexMissingError(resolved);
    // Check for newer table versions on every read, so a long-running `serve` or `mcp` sees what a later
    // `priors ingest` committed without a restart (a manifest check; negligible next to a search).
    const db = await lancedb.connect(resolved, { readConsistencyInterval: 0 });
    const names = new Set(await db.tableNames());
    if (!names.has(META)) {
      if (!opts.create) throw new IndexMissingError(resolved);
      return new IndexStore(resolved, db, null, null, null, null);
    }
    const meta = await db.openTable(META);
    const rows = (await meta.query().toArray()) as { key: string; value: string }[];
    const settingsRow = rows.find((r) => r.key === 'settings');
    if (!settingsRow) throw new PriorsError(`index at ${resolved} is damaged (no settings row) — rerun ingest with --rebuild`);
    const settings = JSON.parse(settingsRow.value) as IndexSettings;
    const chunks = names.has(CHUNKS) ? await db.openTable(CHUNKS) : null;
    const docs = names.has(DOCUMENTS) ? await db.openTable(DOCUMENTS) : null;
    const statistics = rows.find((r) => r.key === CORPUS_STATISTICS)?.value ?? null;
    return new IndexStore(resolved, db, settings, statistics, chunks, docs);
  }

  get settings(): IndexSettings | null {
    return this.settingsValue;
  }

  /** The embedder's corpus statistics (SIF weights), frozen at the first build; see `CorpusStatistics`. */
  get corpusStatistics(): string | null {
    return this.corpusStatisticsValue;
  }

  get chunks(): lancedb.Table {
    if (!this.chunkTable) throw new IndexMissingError(this.location);
    return this.chunkTable;
  }

  get hasVectors(): boolean {
    return this.settingsValue?.embedding != null;
  }

  /** Drop everything (for --rebuild) and start over with these settings. */
  async reset(settings: IndexSettings): Promise<void> {
    for (const name of await this.db.tableNames()) await this.db.dropTable(name);
    this.chunkTable = await this.db.createEmptyTable(CHUNKS, chunkSchema(settings.embedding?.dimension ?? null));
    this.docTable = await this.db.createEmptyTable(DOCUMENTS, documentSchema());
    this.corpusStatisticsValue = null;
    await this.writeSettings(settings);
  }

  async writeSettings(settings: IndexSettings): Promise<void> {
    await this.writeMeta(settings, this.corpusStatisticsValue);
  }

  /** Stored before the first vectors are written, so a crash can't leave vectors without their statistics. */
  async writeCorpusStatistics(statistics: string): Promise<void> {
    if (!this.settingsValue) throw new PriorsError(`index at ${this.location} has no settings yet`);
    await this.writeMeta(this.settingsValue, statistics);
  }

  private async writeMeta(settings: IndexSettings, statistics: string | null): Promise<void> {
    const rows = [{ key: 'settings', value: JSON.stringify(settings) }];
    if (statistics !== null) rows.push({ key: CORPUS_STATISTICS, value: statistics });
    // Overwrite is a single commit: readers see the old or the new rows, never none.
    await this.db.createTable(META, rows, { mode: 'overwrite', schema: metaSchema });
    this.settingsValue = settings;
    this.corpusStatisticsValue = statistics;
  }

  async listDocuments(): Promise<DocumentRow[]> {
    if (!this.docTable) return [];
    return (await this.docTable.query().toArray()) as DocumentRow[];
  }

  async getDocument(docId: string): Promise<DocumentRow> {
    const [doc] = await this.getDocuments([docId]);
    if (!doc) throw new NotFoundError(`no document "${docId}" in the index at ${this.location} — list them with \`priors list\``);
    return doc;
  }

  async getDocuments(docIds: readonly string[]): Promise<DocumentRow[]> {
    if (!this.docTable || docIds.length === 0) return [];
    return (await this.docTable.query().where(sqlIn('doc_id', docIds)).toArray()) as DocumentRow[];
  }

  /**
   * Replace whole documents. The chunks of a batch go in with one merge-insert (a single atomic commit that
   * also deletes the documents' old chunks), then the document rows; a crash in between leaves the new chunks
   * with the old document row, whose stale hash makes the next ingest redo it.
   */
  async replaceDocuments(docs: readonly DocumentRow[], chunks: readonly ChunkRow[]): Promise<void> {
    if (docs.length === 0) return;
    const ids = docs.map((d) => d.doc_id);
    const chunkTable = this.chunks;
    if (chunks.length > 0) {
      await chunkTable
        .mergeInsert('id')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: sqlIn('doc_id', ids) })
        .execute(chunks as unknown as Record<string, unknown>[]);
    } else {
      await chunkTable.delete(sqlIn('doc_id', ids));
    }
    if (!this.docTable) throw new IndexMissingError(this.location);
    await this.docTable
      .mergeInsert('doc_id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute(docs as unknown as Record<string, unknown>[]);
  }

  /** Chunks go first: a document row without chunks is re-checked next time; the reverse would be orphans. */
  async removeDocuments(docIds: readonly string[]): Promise<void> {
    if (docIds.length === 0 || !this.docTable) return;
    for (let i = 0; i < docIds.length; i += 500) {
      const part = docIds.slice(i, i + 500);
      await this.chunks.delete(sqlIn('doc_id', part));
      await this.docTable.delete(sqlIn('doc_id', part));
    }
  }

  /** Bring the full-text (and, at scale, the vector) index up to date and compact small writes. */
  async refreshIndexes(): Promise<void> {
    const table = this.chunks;
    const indices = await table.listIndices();
    const has = (column: string) => indices.some((i) => i.columns.includes(column));
    if ((await table.countRows()) === 0) return;
    await table.optimize({ cleanupOlderThan: new Date(Date.now() - 10 * 60_000) });
    if (!has('fts_text')) {
      await table.createIndex('fts_text', {
        config: lancedb.Index.fts({
          baseTokenizer: 'simple',
          lowercase: true,
          stem: true,
          language: 'English',
          removeStopWords: true,
          asciiFolding: true,
          withPosition: false,
        }),
      });
    }
    if (this.hasVectors && !has('vector') && (await table.countRows()) >= ANN_INDEX_MIN_ROWS) {
      await createVectorIndex(table);
    }
    if (this.docTable) await this.docTable.optimize({ cleanupOlderThan: new Date(Date.now() - 10 * 60_000) });
  }

  async countChunks(): Promise<number> {
    return this.chunkTable ? this.chunkTable.countRows() : 0;
  }

  close(): void {
    this.chunkTable?.close();
    this.docTable?.close();
    this.db.close();
  }
}
