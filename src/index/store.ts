import * as lancedb from '@lancedb/lancedb';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IndexFormatError, IndexMissingError, IndexNotFolderError, NotFoundError, PriorsError, UsageError } from '../core/errors.js';
import { sqlIn, sqlString, type DocumentRow } from './schema.js';
import { INDEX_FORMAT_VERSION, type IndexSettings } from './settings.js';

/** The one table every index has: settings, manifest and corpus statistics rows, replaced together in one commit. */
export const META = 'meta';
const CORPUS_STATISTICS = 'corpus-statistics';
const WORD_LIST = 'word-list';
/** Word lists (see `MetaState.wordList`) are files `words-<hash>.bin` in the index folder. */
export const WORD_LIST_FILE = /^words-[0-9a-f]+\.bin$/;
/** Below this many chunks a flat vector scan is fast enough (≈ milliseconds); above it an IVF-PQ index is built. */
export const ANN_INDEX_MIN_ROWS = 100_000;
/**
 * The character n-gram index is built only up to this many chunks: on an archive (~5k chunks) it takes about a
 * second, on a million chunks it would take minutes and gigabytes for a side that adds a few percent.
 */
export const CHAR_GRAM_MAX_ROWS = 200_000;
/**
 * A run that leaves at most this many chunk rows outside the full-text and vector indexes, on a chunk table
 * with at most `DEFERRED_VERSIONS_MAX` versions on disk, does not optimise the chunk table: LanceDB's
 * `optimize()` cannot pick an index, and bringing the n-gram index up to date rewrites it whole (≈ 1 s of CPU
 * on the archive, against ≈ 30 ms for the edit itself; the chunk table's stable row ids spare it a second
 * rewrite by the compaction). Searches cover unindexed rows by a flat scan (fastSearch is never set) and never
 * return deleted ones (tests/index/deferred-optimize.test.ts), so results are the same; the next larger run, or
 * the run that passes either bound, optimises and removes the old versions.
 */
export const DEFERRED_ROWS_MAX = 500;
/**
 * Versions of the chunk table kept on disk by deferred runs, at most: each one-edit run adds two (the chunks'
 * delete and add), so one run in ten optimises.
 */
export const DEFERRED_VERSIONS_MAX = 20;
/** Characters per gram of the n-gram index (5 measured best against 3, 4, 6 and 3–5 on the archive questions). */
export const CHAR_GRAM_LENGTH = 5;

/**
 * Which table versions make up the index. LanceDB commits each table on its own, so a batch that touches the
 * chunks and the documents is two commits; readers therefore never read the tables' latest versions but the
 * ones the manifest names, and the manifest moves only after both commits (one atomic overwrite of the meta
 * table). A crash between commits leaves versions no manifest names, which the next ingest rolls back.
 */
export interface Manifest {
  /** Tables of generation g are `chunks_g` and `documents_g`; `--rebuild` fills the next generation aside. */
  generation: number;
  chunks: number;
  documents: number;
}

export function tableNames(generation: number): { chunks: string; documents: string } {
  return { chunks: `chunks_${generation}`, documents: `documents_${generation}` };
}

/** What the meta table holds; `manifest` is null in an index written before format 2. */
export interface MetaState {
  settings: IndexSettings;
  manifest: Manifest | null;
  /** The embedder's corpus statistics (SIF weights), frozen when the vectors were first made; see `CorpusStatistics`. */
  corpusStatistics: string | null;
  /**
   * The file in the index folder holding the embedder's list of the passages' words (`WordList`), written before
   * the meta row that names it; null when there is none (full-text or transformers.js index, object stores).
   */
  wordList: string | null;
}

export function metaRows(state: MetaState): { key: string; value: string }[] {
  const rows = [{ key: 'settings', value: JSON.stringify(state.settings) }];
  if (state.manifest) rows.push({ key: 'manifest', value: JSON.stringify(state.manifest) });
  if (state.corpusStatistics !== null) rows.push({ key: CORPUS_STATISTICS, value: state.corpusStatistics });
  if (state.wordList !== null) rows.push({ key: WORD_LIST, value: state.wordList });
  return rows;
}

/**
 * The word list a meta row names, or null when it can't be read (an ingest removed it after a reader's snapshot
 * was taken): it only makes searches faster, never different, so a missing list is no error.
 */
export function readWordList(location: string, name: string | null): Buffer | null {
  if (name === null || !isLocalLocation(location) || !WORD_LIST_FILE.test(name)) return null;
  try {
    return readFileSync(path.join(location, name));
  } catch {
    return null;
  }
}

export async function readMeta(meta: lancedb.Table, location: string): Promise<MetaState> {
  const rows = (await meta.query().toArray()) as { key: string; value: string }[];
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const settings = value('settings');
  if (!settings) throw new PriorsError(`index at ${location} is damaged (no settings row) — rerun ingest with --rebuild`);
  const manifest = value('manifest');
  return {
    settings: JSON.parse(settings) as IndexSettings,
    manifest: manifest ? (JSON.parse(manifest) as Manifest) : null,
    corpusStatistics: value(CORPUS_STATISTICS) ?? null,
    wordList: value(WORD_LIST) ?? null,
  };
}

/** Object-store URIs (s3://, gs://, …) are passed to LanceDB as they are; plain paths are resolved. */
export function isLocalLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

export function resolveLocation(location: string): string {
  return isLocalLocation(location) ? path.resolve(location) : location;
}

/** One consistent state of the index: both tables checked out at the versions one manifest names. */
export interface Snapshot {
  readonly metaVersion: number;
  readonly settings: IndexSettings;
  readonly corpusStatistics: string | null;
  readonly wordList: string | null;
  readonly chunks: lancedb.Table;
  readonly documents: lancedb.Table;
  /** Whether the chunk table has the character n-gram index (absent on very large indexes). */
  readonly charGrams: boolean;
}

/**
 * Read access to an index. Every read goes through `read()`, which takes the current snapshot (a check of the
 * meta table's version, ~0.02 ms, so a long-running `serve` or `mcp` sees what a later ingest committed
 * without a restart) and reads both tables at the versions it names.
 */
export class IndexStore {
  private current: Snapshot;

  private constructor(
    readonly location: string,
    private readonly db: lancedb.Connection,
    private readonly meta: lancedb.Table,
    first: Snapshot,
  ) {
    this.current = first;
  }

  /** Open an index for reading: a missing one is an `IndexMissingError`, one of another format an `IndexFormatError`. */
  static async open(location: string): Promise<IndexStore> {
    const resolved = resolveLocation(location);
    if (isLocalLocation(resolved)) {
      const stat = statSync(resolved, { throwIfNoEntry: false });
      if (!stat) throw new IndexMissingError(resolved);
      if (!stat.isDirectory()) throw new IndexNotFolderError(resolved);
    }
    const db = await lancedb.connect(resolved, { readConsistencyInterval: 0 });
    // Opened first and asked about only on failure: every LanceDB call a cold search waits for adds to its start-up.
    const meta = await db.openTable(META).catch(async (err: unknown) => {
      if (!(await db.tableNames()).includes(META)) throw new IndexMissingError(resolved);
      throw err;
    });
    return new IndexStore(resolved, db, meta, await loadLatestSnapshot(db, meta, resolved));
  }

  /** Settings as of the latest snapshot taken. */
  get settings(): IndexSettings {
    return this.current.settings;
  }

  /** The corpus statistics the index's vectors were made with (word vectors), as of the latest snapshot. */
  get corpusStatistics(): string | null {
    return this.current.corpusStatistics;
  }

  /** The embedder's list of the passages' words (`WordList`) as of the latest snapshot, or null. */
  wordList(): Buffer | null {
    return readWordList(this.location, this.current.wordList);
  }

  get hasVectors(): boolean {
    return this.current.settings.embedding != null;
  }

  /** The state the latest manifest names (re-opened only when the meta table moved). */
  async snapshot(): Promise<Snapshot> {
    if ((await this.meta.version()) !== this.current.metaVersion)
      this.current = await loadLatestSnapshot(this.db, this.meta, this.location);
    return this.current;
  }

  /**
   * Run reads against one snapshot. An ingest that finishes meanwhile removes the versions it superseded (the
   * index keeps only its current state on disk, but for the chunk versions small runs leave, see
   * `DEFERRED_ROWS_MAX`); a read caught on removed files is run again, once, on the new
   * snapshot — so a reader never needs old versions kept for it, and never mixes two states in one answer.
   */
  async read<T>(fn: (snapshot: Snapshot) => Promise<T>): Promise<T> {
    const snapshot = await this.snapshot();
    try {
      return await fn(snapshot);
    } catch (err) {
      if ((await this.meta.version()) === snapshot.metaVersion) throw err;
      return fn(await this.snapshot());
    }
  }

  async listDocuments(): Promise<DocumentRow[]> {
    return this.read(async (s) => (await s.documents.query().toArray()) as DocumentRow[]);
  }

  async getDocument(docId: string): Promise<DocumentRow> {
    const [doc] = await this.getDocuments([docId]);
    if (!doc)
      throw new NotFoundError(`no document "${docId}" in the index at ${this.location} — list_documents shows the ids (CLI: priors list)`);
    return doc;
  }

  /**
   * A document by its id, or by a unique ending of it (`2025/x.md` for `interconnects/public/2025/x.md`, the
   * path within its root): printed ids keep working when written short. Several matches are a UsageError
   * that lists them.
   */
  async resolveDocument(ref: string): Promise<DocumentRow> {
    const [exact] = await this.getDocuments([ref]);
    if (exact) return exact;
    const tail = ref.replace(/^\/+/, '');
    let candidates: DocumentRow[] = [];
    if (tail) {
      // LIKE's `_` matches any character: the JS check below keeps only true suffixes.
      const like = `doc_id LIKE ${sqlString(`%/${tail.replaceAll('%', '_')}`)}`;
      const rows = await this.read(async (s) => (await s.documents.query().where(like).limit(1000).toArray()) as DocumentRow[]);
      candidates = rows.filter((d) => d.doc_id.endsWith(`/${tail}`));
    }
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    if (candidates.length > 1) {
      const ids = candidates.map((d) => d.doc_id).sort();
      const shown = ids.slice(0, 10).join(', ');
      throw new UsageError(`"${ref}" matches ${ids.length} documents: ${shown}${ids.length > 10 ? ', …' : ''} — give more of the id`);
    }
    return this.getDocument(ref);
  }

  async getDocuments(docIds: readonly string[]): Promise<DocumentRow[]> {
    if (docIds.length === 0) return [];
    return this.read(async (s) => (await s.documents.query().where(sqlIn('doc_id', docIds)).toArray()) as DocumentRow[]);
  }

  async countChunks(): Promise<number> {
    return this.read((s) => s.chunks.countRows());
  }

  close(): void {
    this.current.chunks.close();
    this.current.documents.close();
    this.meta.close();
    this.db.close();
  }
}

/** Tries at loading the latest snapshot while ingests keep publishing; each publish is one batch, so two almost always do. */
const SNAPSHOT_ATTEMPTS = 5;

/**
 * The snapshot the latest manifest names. An ingest publishing while it loads removes the table versions the
 * manifest it read names, so checking them out fails with LanceDB's "not found": when the meta table moved
 * meanwhile, that snapshot is already superseded, and the new one is loaded instead. A failure with the meta
 * table unmoved is a real one and is thrown.
 */
async function loadLatestSnapshot(db: lancedb.Connection, meta: lancedb.Table, location: string): Promise<Snapshot> {
  for (let attempt = 1; ; attempt++) {
    const version = await meta.version();
    try {
      return await loadSnapshot(db, meta, location);
    } catch (err) {
      if (attempt >= SNAPSHOT_ATTEMPTS || err instanceof IndexFormatError || (await meta.version()) === version) throw err;
    }
  }
}

async function loadSnapshot(db: lancedb.Connection, meta: lancedb.Table, location: string): Promise<Snapshot> {
  const metaVersion = await meta.version();
  const { settings, manifest, corpusStatistics, wordList } = await readMeta(meta, location);
  if (settings.formatVersion !== INDEX_FORMAT_VERSION || !manifest) {
    throw new IndexFormatError(location, settings.formatVersion, INDEX_FORMAT_VERSION, (settings.roots?.length ?? 0) > 0);
  }
  const names = tableNames(manifest.generation);
  const open = async (name: string, version: number) => {
    const table = await db.openTable(name);
    await table.checkout(version);
    return table;
  };
  // Both tables at once: their opens are independent waits on LanceDB's threads.
  const [[chunks, charGrams], documents] = await Promise.all([
    open(names.chunks, manifest.chunks).then(async (t) => [t, (await t.listIndices()).some((i) => i.columns.includes('text'))] as const),
    open(names.documents, manifest.documents),
  ]);
  return { metaVersion, settings, corpusStatistics, wordList, chunks, documents, charGrams };
}
