import * as lancedb from '@lancedb/lancedb';
import { createHash } from 'node:crypto';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IndexFormatError, PriorsError } from '../core/errors.js';
import { acquireIngestLock } from './lock.js';
import { plainRows } from './plain-rows.js';
import { chunkRecord } from './rows.js';
import { chunkSchema, documentSchema, metaSchema } from './arrow-schema.js';
import { sqlIn, type ChunkRow, type DocumentRow } from './schema.js';
import { INDEX_FORMAT_VERSION, type IndexSettings } from './settings.js';
import {
  ANN_INDEX_MIN_ROWS,
  CHAR_GRAM_MAX_ROWS,
  CHAR_GRAM_LENGTH,
  DEFERRED_ROWS_MAX,
  DEFERRED_VERSIONS_MAX,
  isLocalLocation,
  keepMetaFile,
  META,
  metaRows,
  parseTitles,
  queryTitles,
  readWordList,
  removeMetaFiles,
  resolveLocation,
  tableNames,
  titlesValue,
  WORD_LIST_FILE,
  writeMetaFile,
  type Manifest,
  type MetaState,
  type SearchFacts,
} from './store.js';

/** Where a write can be interrupted; tests stop the writer at each one (see `WriterOptions.afterCommit`). */
export type CommitPoint = 'chunk-delete' | 'chunks' | 'documents' | 'manifest' | 'optimize' | 'cleanup';

export interface WriterOptions {
  /** One-line notices (an interrupted ingest rolled back, an older index being rebuilt): not warnings about inputs. */
  onNotice?: (message: string) => void;
  /** Called after each commit point; a test throws here to stop the writer exactly there. */
  afterCommit?: (point: CommitPoint) => void;
}

/** One atomic step of an ingest: these documents replace theirs (rows and chunks), these others leave. */
export interface CommitBatch {
  documents: readonly DocumentRow[];
  chunks: readonly ChunkRow[];
  remove: readonly string[];
}

/** What the orphan sweep found and removed. */
export interface SweepResult {
  /** Chunks whose document has no row. */
  orphanChunks: number;
  /** Documents removed because their chunks were orphans or did not match the row's count (the ingest re-adds them). */
  docIds: string[];
}

/** The ANN index `finish()` builds on the chunk table (exported so scripts/bench-scale.ts times this very call). */
export async function createVectorIndex(table: lancedb.Table): Promise<void> {
  await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }) });
}

/** The chunk table's indexed columns: words (`fts_text`), character n-grams of the passage text (`text`), vectors. */
type ChunkIndexColumn = 'fts_text' | 'text' | 'vector';

/** Build one of the chunk table's indexes (each built once, then kept up to date by `optimize()`). */
async function createChunkIndex(table: lancedb.Table, column: ChunkIndexColumn): Promise<void> {
  switch (column) {
    case 'fts_text':
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
      return;
    case 'text':
      // Character n-grams of the passage text: a misremembered word ("Lovecraft" for "Lovecraftian", a name
      // misspelt) still shares most of its grams.
      await table.createIndex('text', {
        config: lancedb.Index.fts({
          baseTokenizer: 'ngram',
          ngramMinLength: CHAR_GRAM_LENGTH,
          ngramMaxLength: CHAR_GRAM_LENGTH,
          prefixOnly: false,
          lowercase: true,
          asciiFolding: true,
          stem: false,
          removeStopWords: false,
          withPosition: false,
        }),
      });
      return;
    case 'vector':
      await createVectorIndex(table);
      return;
  }
}

/**
 * Compact and update indices until nothing changes: one `optimize()` may leave work for the next (an index
 * update, then the compaction it allowed), and the clean-up after publishing must not create versions.
 */
async function settle(table: lancedb.Table): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const before = await table.version();
    await table.optimize();
    if ((await table.version()) === before) return;
  }
}

/** Every distinct speaker of the chunk table's turns. */
async function querySpeakers(chunks: lancedb.Table): Promise<string[]> {
  const rows = await plainRows<{ speaker: string | null }>(chunks.query().where('speaker IS NOT NULL').select(['speaker']));
  return [...new Set(rows.map((r) => r.speaker).filter((s): s is string => !!s))];
}

const asRecords = (rows: readonly object[]) => rows as unknown as Record<string, unknown>[];

/**
 * The only writer of an index (ingest holds it): takes the ingest lock, rolls back what an interrupted ingest
 * left unpublished, and applies batches with `commit()`. Each commit writes the chunks, then the document rows,
 * then moves the manifest — readers see a batch entirely or not at all, and a crash at any point leaves the
 * last published state for the next ingest to restore. `--rebuild` (and an index of an older format) fills a
 * new generation of tables aside and publishes it once, at the end.
 */
export class IndexWriter {
  private chunkTable: lancedb.Table | null = null;
  private docTable: lancedb.Table | null = null;
  private generation = 0;
  /** False while a rebuild fills tables readers must not see yet. */
  private publishEach = true;
  private dirty = false;
  /** Chunk rows this run deleted or replaced: a run that removes many optimises (they stay in the indexes till then). */
  private chunksRemoved = 0;
  private settingsValue: IndexSettings | null = null;
  private corpusStatisticsValue: string | null = null;
  /** The word list file the next publication names, and a new list to write before it. */
  private wordListValue: string | null = null;
  private newWordList: Uint8Array | null = null;
  /**
   * The chunk table's distinct speakers as of the last commit, published with the manifest (`SearchFacts`); null
   * when they are to be read from the table at the next publication. Batches that only add grow the set, so a first
   * build never scans for them; one that removes chunks may have removed a speaker's last turn, and makes the next
   * publication read them (a scan of the speaker column, ≈ 2 ms on the archive).
   */
  private speakers: Set<string> | null = null;
  /** The documents' titles by id as of the last commit; null when they are to be read from the documents table. */
  private titles: Map<string, string> | null = null;

  private constructor(
    readonly location: string,
    private readonly db: lancedb.Connection,
    /** What the index held when opened (null: no index yet). */
    readonly stored: MetaState | null,
    private readonly release: () => void,
    private readonly opts: WriterOptions,
  ) {}

  /**
   * Lock the index (local folders) and open it for writing; nothing is written until `begin()` but a missing meta
   * file of the published state (see `keepMetaFile`).
   */
  static async open(location: string, opts: WriterOptions = {}): Promise<IndexWriter> {
    const resolved = resolveLocation(location);
    const release = isLocalLocation(resolved) ? acquireIngestLock(resolved) : () => undefined;
    try {
      const db = await lancedb.connect(resolved);
      const stored = (await db.tableNames()).includes(META) ? await keepMetaFile(db, resolved) : null;
      return new IndexWriter(resolved, db, stored, release, opts);
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Settings of the index as stored, when its format is the one this code writes (else the ingest starts over). */
  get currentSettings(): IndexSettings | null {
    const s = this.stored;
    return s?.manifest && s.settings.formatVersion === INDEX_FORMAT_VERSION ? s.settings : null;
  }

  /**
   * Start writing with these settings. Updates the current tables in place (after rolling back anything an
   * interrupted ingest left unpublished) unless `rebuild` is asked, or the index is new or of an older format:
   * then a new generation of tables is filled aside and published by `finish()`.
   */
  async begin(settings: IndexSettings, opts: { rebuild: boolean }): Promise<void> {
    this.settingsValue = settings;
    const stored = this.stored;
    if (stored && stored.settings.formatVersion > INDEX_FORMAT_VERSION && !opts.rebuild) {
      throw new IndexFormatError(
        this.location,
        stored.settings.formatVersion,
        INDEX_FORMAT_VERSION,
        (stored.settings.roots?.length ?? 0) > 0,
      );
    }
    const current = this.currentSettings ? (stored?.manifest ?? null) : null;
    if (current && !opts.rebuild) {
      this.generation = current.generation;
      this.corpusStatisticsValue = stored?.corpusStatistics ?? null;
      this.wordListValue = stored?.wordList ?? null;
      // Published with the manifest the tables are rolled back to, so they describe them exactly.
      this.speakers = stored?.facts ? new Set(stored.facts.speakers) : null;
      this.titles = stored?.titles ? new Map(parseTitles(stored.titles).map((t) => [t.docId, t.title])) : null;
      await this.rollBackTo(current);
      // A root setting that changes no document (a URL alias: links are resolved when the index is read) must
      // still be written, though the run commits no batch.
      this.dirty ||= JSON.stringify(stored?.settings.roots ?? []) !== JSON.stringify(settings.roots ?? []);
      return;
    }
    if (stored && !current && !opts.rebuild) {
      this.opts.onNotice?.(
        `index at ${this.location} was written by an older priors (index format ${stored.settings.formatVersion}); rebuilding it from the files (readers keep the old one until it is done)`,
      );
    }
    // A first build publishes every batch, so an interrupted one keeps its progress; a rebuild publishes once.
    this.publishEach = stored === null;
    this.generation = (current?.generation ?? 0) + 1;
    const names = tableNames(this.generation);
    const existing = await this.db.tableNames();
    for (const name of [names.chunks, names.documents]) if (existing.includes(name)) await this.db.dropTable(name);
    // Stable row ids: a compaction moves rows without changing their ids, so it leaves the indexes as they are.
    // With row addresses (LanceDB's default) every compaction rewrites each index to remap the rows it moved,
    // which for the character n-gram index costs as much as updating it (≈ 1 s of CPU on the archive).
    this.chunkTable = await this.db.createEmptyTable(names.chunks, chunkSchema(settings.embedding?.dimension ?? null), {
      storageOptions: { new_table_enable_stable_row_ids: 'true' },
    });
    this.docTable = await this.db.createEmptyTable(names.documents, documentSchema());
    this.speakers = new Set();
    this.titles = new Map();
    this.dirty = true;
  }

  /** Undo versions no manifest names (an ingest killed between commits) and drop tables of other generations. */
  private async rollBackTo(manifest: Manifest): Promise<void> {
    const names = tableNames(manifest.generation);
    const open = async (name: string, version: number) => {
      const table = await this.db.openTable(name).catch(() => {
        throw new PriorsError(`index at ${this.location} is damaged (table ${name} is missing) — rerun ingest with --rebuild`);
      });
      if ((await table.version()) !== version) {
        await table.checkout(version);
        await table.restore();
        this.opts.onNotice?.(`${this.location}: rolled back ${name} to its last published version (an earlier ingest was interrupted)`);
      }
      return table;
    };
    this.chunkTable = await open(names.chunks, manifest.chunks);
    this.docTable = await open(names.documents, manifest.documents);
    await this.dropOtherTables();
  }

  /** Leftovers: the previous generation after a rebuild, or a rebuild that was interrupted. */
  private async dropOtherTables(): Promise<void> {
    const keep = new Set([META, ...Object.values(tableNames(this.generation))]);
    for (const name of await this.db.tableNames()) if (!keep.has(name)) await this.db.dropTable(name);
  }

  /** Word lists no publication names any more, or that an interrupted ingest wrote (a reader without its list only searches slower). */
  private removeOtherWordLists(): void {
    if (!isLocalLocation(this.location)) return;
    for (const name of readdirSync(this.location)) {
      const list = WORD_LIST_FILE.test(name) || /^words-[0-9a-f]+\.bin\.\d+\.partial$/.test(name);
      if (list && name !== this.wordListValue) rmSync(path.join(this.location, name), { force: true });
    }
  }

  private get tables(): { chunks: lancedb.Table; documents: lancedb.Table } {
    if (!this.chunkTable || !this.docTable) throw new Error('IndexWriter.begin() must come first');
    return { chunks: this.chunkTable, documents: this.docTable };
  }

  /** Corpus statistics of the vectors being written: the index's own, or none yet (new index, rebuild). */
  get corpusStatistics(): string | null {
    return this.corpusStatisticsValue;
  }

  /**
   * Freeze the corpus statistics of a new index or generation before its first vectors are made; they are
   * published with the batch that holds those vectors, never before.
   */
  setCorpusStatistics(statistics: string): void {
    this.corpusStatisticsValue = statistics;
  }

  /** The published word list of the tables being updated (see `MetaState.wordList`); null for a new index or generation. */
  get wordList(): Buffer | null {
    return readWordList(this.location, this.wordListValue);
  }

  /** A grown word list, written and named by the next publication (object stores keep none). */
  setWordList(list: Uint8Array): void {
    if (isLocalLocation(this.location)) this.newWordList = list;
  }

  /** The working chunk table (scripts/bench-scale.ts writes generated rows straight into it). */
  get chunks(): lancedb.Table {
    // Rows written straight into the table pass by `commit()`: their speakers are read at the next publication.
    this.speakers = null;
    return this.tables.chunks;
  }

  async listDocuments(): Promise<DocumentRow[]> {
    return plainRows<DocumentRow>(this.tables.documents.query());
  }

  /**
   * Check the chunks against the document rows, keyed on the chunks' doc ids: chunks of a document that has no
   * row (orphans) and documents whose chunks do not match their row's count are removed, so the ingest adds
   * those documents again from their files. With manifests this finds nothing; it guards the promise that
   * nothing the index serves lacks a document row, whatever happened to the files in between.
   */
  async sweep(): Promise<SweepResult> {
    const { chunks } = this.tables;
    const counts = new Map<string, number>();
    const column = (await chunks.query().select(['doc_id']).toArrow()).getChild('doc_id');
    for (const id of column ?? []) counts.set(String(id), (counts.get(String(id)) ?? 0) + 1);
    const rows = new Map((await this.listDocuments()).map((d) => [d.doc_id, d.chunk_count]));
    let orphanChunks = 0;
    const bad = new Set<string>();
    for (const [id, n] of counts) {
      if (!rows.has(id)) {
        orphanChunks += n;
        bad.add(id);
      }
    }
    for (const [id, expected] of rows) if ((counts.get(id) ?? 0) !== expected) bad.add(id);
    const docIds = [...bad];
    if (docIds.length > 0) await this.commit({ documents: [], chunks: [], remove: docIds });
    return { orphanChunks, docIds };
  }

  /** Apply one batch: chunks, then document rows, then (except while rebuilding aside) the manifest. */
  async commit(batch: CommitBatch): Promise<void> {
    const { chunks, documents } = this.tables;
    const touched = [...batch.documents.map((d) => d.doc_id), ...batch.remove];
    if (touched.length === 0) return;
    this.dirty = true;
    // Delete, then add: never an update in place. Under stable row ids an updated row keeps its id, and an
    // IVF-PQ index updated by optimize() then holds the row twice, its old vector too, so a vector search returns
    // it twice (LanceDB 0.37.1); an added row gets a new id, and the index drops the deleted one.
    const removed = (await chunks.delete(sqlIn('doc_id', touched))).numDeletedRows;
    this.chunksRemoved += removed;
    if (removed > 0) this.speakers = null;
    for (const c of batch.chunks) if (c.speaker) this.speakers?.add(c.speaker);
    this.opts.afterCommit?.('chunk-delete');
    if (batch.chunks.length > 0) await chunks.add(asRecords(batch.chunks.map(chunkRecord)));
    this.opts.afterCommit?.('chunks');
    if (batch.documents.length > 0) {
      let merge = documents.mergeInsert('doc_id').whenMatchedUpdateAll().whenNotMatchedInsertAll();
      if (batch.remove.length > 0) merge = merge.whenNotMatchedBySourceDelete({ where: sqlIn('doc_id', batch.remove) });
      await merge.execute(asRecords(batch.documents));
    } else {
      await documents.delete(sqlIn('doc_id', batch.remove));
    }
    if (this.titles) {
      for (const id of batch.remove) this.titles.delete(id);
      for (const d of batch.documents) {
        if (d.title) this.titles.set(d.doc_id, d.title);
        else this.titles.delete(d.doc_id);
      }
    }
    this.opts.afterCommit?.('documents');
    if (this.publishEach) await this.publish();
  }

  /** Point readers at the tables' current versions: one overwrite of the meta table, the atomic switch. */
  async publish(): Promise<Manifest> {
    const { chunks, documents } = this.tables;
    if (!this.settingsValue) throw new Error('IndexWriter.begin() must come first');
    const manifest: Manifest = { generation: this.generation, chunks: await chunks.version(), documents: await documents.version() };
    if (this.newWordList) {
      // Written whole under a name of its content before the meta row names it: readers see the old list or the new.
      const name = `words-${createHash('sha256').update(this.newWordList).digest('hex').slice(0, 16)}.bin`;
      const partial = path.join(this.location, `${name}.${process.pid}.partial`);
      writeFileSync(partial, this.newWordList);
      renameSync(partial, path.join(this.location, name));
      this.wordListValue = name;
      this.newWordList = null;
    }
    this.speakers ??= new Set(await querySpeakers(chunks));
    this.titles ??= new Map((await queryTitles(documents)).map((t) => [t.docId, t.title]));
    const facts: SearchFacts = {
      charGrams: (await chunks.listIndices()).some((i) => i.columns.includes('text')),
      speakers: [...this.speakers],
    };
    const state: MetaState = {
      settings: this.settingsValue,
      manifest,
      corpusStatistics: this.corpusStatisticsValue,
      wordList: this.wordListValue,
      facts,
      titles: titlesValue(this.titles),
    };
    // The meta files go first, so none can be read for a version this commit makes (see `readMetaFile`).
    removeMetaFiles(this.location);
    const meta = await this.db.createTable(META, metaRows(state), { mode: 'overwrite', schema: metaSchema() });
    const version = await meta.version();
    meta.close();
    // A crash here leaves no meta file: readers query the meta table.
    this.opts.afterCommit?.('manifest');
    writeMetaFile(this.location, version, state);
    return manifest;
  }

  /**
   * After the last batch: compact, bring the full-text (and at scale the vector) index up to date, publish, and
   * remove every version the new manifest does not name, with the files only they used, and the tables of
   * other generations. A small change leaves the chunk table as it is (see `DEFERRED_ROWS_MAX`): its
   * superseded versions stay until a later run optimises it. A run that changed nothing writes nothing.
   */
  async finish(): Promise<void> {
    if (!this.dirty) return;
    const { chunks, documents } = this.tables;
    const deferred = await this.canDeferChunks();
    if (!deferred) await this.refreshIndexes();
    await settle(documents);
    this.opts.afterCommit?.('optimize');
    const manifest = await this.publish();
    // Every version older than the published ones goes, with the files only they used: readers caught on a
    // removed version read again from the new one (IndexStore.read), so nothing is kept for them. No other
    // writer can be at work (the lock), so files of interrupted writes that no version names go too.
    // The published version is its table's latest, which a clean-up always keeps. Its timestamp comes back to
    // JavaScript in whole milliseconds, while versions are stamped finer: a version committed in the same
    // millisecond before it would not count as older than that time (seen as a flaky test: two documents versions
    // left on disk), so the cut-off is the millisecond after.
    const cleanUp = async (table: lancedb.Table, version: number) => {
      const published = (await table.listVersions()).find((v) => v.version === version);
      if (published) await table.optimize({ cleanupOlderThan: new Date(published.timestamp.getTime() + 1), deleteUnverified: true });
    };
    if (!deferred) await cleanUp(chunks, manifest.chunks);
    await cleanUp(documents, manifest.documents);
    const meta = await this.db.openTable(META);
    await cleanUp(meta, await meta.version());
    meta.close();
    // Settled tables gain no version from the clean-up; should one appear, readers get it named.
    if ((await chunks.version()) !== manifest.chunks || (await documents.version()) !== manifest.documents) await this.publish();
    await this.dropOtherTables();
    this.removeOtherWordLists();
    this.opts.afterCommit?.('cleanup');
  }

  /**
   * Whether the chunk table may stay unoptimised this run: every index it should have exists, few rows are
   * outside them, this run removed few and few versions are on disk. Its clean-up is then skipped too (LanceDB's only clean-up call
   * is `optimize()`, which would compact and update the indexes anyway).
   */
  private async canDeferChunks(): Promise<boolean> {
    const { chunks } = this.tables;
    const rows = await chunks.countRows();
    const indices = await chunks.listIndices();
    const has = (column: ChunkIndexColumn) => indices.some((i) => i.columns.includes(column));
    if (!this.chunkIndexColumns(rows).every(has) || this.chunksRemoved > DEFERRED_ROWS_MAX) return false;
    if ((await chunks.listVersions()).length > DEFERRED_VERSIONS_MAX) return false;
    for (const index of indices) {
      const stats = await chunks.indexStats(index.name);
      if (!stats || stats.numUnindexedRows > DEFERRED_ROWS_MAX) return false;
    }
    return true;
  }

  /**
   * Compact the chunk table and bring the full-text indexes (words; character n-grams up to an archive's size)
   * and, at scale, the vector index up to date; unpublished.
   */
  async refreshIndexes(): Promise<void> {
    const { chunks } = this.tables;
    const rows = await chunks.countRows();
    if (rows === 0) return;
    await settle(chunks);
    const indices = await chunks.listIndices();
    for (const column of this.chunkIndexColumns(rows)) {
      if (!indices.some((i) => i.columns.includes(column))) await createChunkIndex(chunks, column);
    }
  }

  /**
   * The indexes a chunk table of `rows` rows should have, by column: the word index always; character n-grams
   * while the archive is small enough that the index costs seconds (a larger index searches words only); the
   * vector index at scale, when the index has vectors (below that a flat scan is as fast).
   */
  private chunkIndexColumns(rows: number): ChunkIndexColumn[] {
    const columns: ChunkIndexColumn[] = ['fts_text'];
    if (rows <= CHAR_GRAM_MAX_ROWS) columns.push('text');
    if (this.settingsValue?.embedding && rows >= ANN_INDEX_MIN_ROWS) columns.push('vector');
    return columns;
  }

  async countChunks(): Promise<number> {
    return this.tables.chunks.countRows();
  }

  close(): void {
    this.chunkTable?.close();
    this.docTable?.close();
    this.db.close();
    this.release();
  }
}
