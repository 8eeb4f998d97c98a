import * as lancedb from '@lancedb/lancedb';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IndexFormatError, IndexMissingError, IndexNotFolderError, NotFoundError, PriorsError, UsageError } from '../core/errors.js';
import { plainRows } from './plain-rows.js';
import { sqlIn, sqlString, type DocumentRow } from './schema.js';
import { INDEX_FORMAT_VERSION, type IndexSettings } from './settings.js';

/** The one table every index has: settings, manifest and corpus statistics rows, replaced together in one commit. */
export const META = 'meta';
const CORPUS_STATISTICS = 'corpus-statistics';
const WORD_LIST = 'word-list';
const SEARCH_FACTS = 'search-facts';
const TITLES = 'titles';
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

/**
 * What a search needs to know about the index besides its passages, published with the manifest (so always of the
 * tables it names): a cold search then asks LanceDB only for its lists. Read from the tables instead, they cost a
 * `listIndices()` and the documents table's open before the search, and two scans beside its lists (speakers,
 * titles) that took LanceDB's threads from them. Measured on the sample corpus (medians of 120 cold runs, with the
 * documents table opened lazily): the snapshot ≈ 0.7 ms, the lists ≈ 2.6 ms (full text) / 1.4 ms (word vectors)
 * sooner.
 */
export interface SearchFacts {
  /** Whether the chunk table has the character n-gram index (absent on very large indexes). */
  charGrams: boolean;
  /** Every distinct speaker of the indexed turns (interviews, transcripts), in no particular order. */
  speakers: string[];
}

/** A document's id and title, as search compares a request with titles (untitled documents have none). */
export interface DocumentTitle {
  docId: string;
  title: string;
}

/**
 * Titles are kept in the meta row up to this many documents; a larger index reads them from the documents table
 * when a search first needs them, as before. Every command reads the meta table whole, so every command pays for
 * its size: measured cold, 10k titles (1.1 MB of JSON) read within the noise of none and parse in ≈ 2 ms (in a
 * search only), 100k titles (11 MB) add ≈ 37 ms to every command's read and ≈ 90 ms to a search's parse.
 */
export const TITLES_INLINE_MAX = 10_000;

/** The titles' meta value (JSON of [docId, title] pairs), or null when there are too many to keep there. */
export function titlesValue(titles: ReadonlyMap<string, string>): string | null {
  return titles.size <= TITLES_INLINE_MAX ? JSON.stringify([...titles]) : null;
}

export function parseTitles(value: string): DocumentTitle[] {
  return (JSON.parse(value) as [string, string][]).map(([docId, title]) => ({ docId, title }));
}

/** Every titled document's id and title, read from a documents table. */
export async function queryTitles(documents: lancedb.Table): Promise<DocumentTitle[]> {
  const rows = await plainRows<{ doc_id: string; title: string | null }>(
    documents.query().where('title IS NOT NULL').select(['doc_id', 'title']),
  );
  return rows.flatMap((r) => (r.title ? [{ docId: r.doc_id, title: r.title }] : []));
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
  /** Null only in an index of an older format (which is rebuilt) or a damaged one. */
  facts: SearchFacts | null;
  /** The documents' titles (`titlesValue`): null when the documents table is the one place they are kept. */
  titles: string | null;
}

export function metaRows(state: MetaState): { key: string; value: string }[] {
  const rows = [{ key: 'settings', value: JSON.stringify(state.settings) }];
  if (state.manifest) rows.push({ key: 'manifest', value: JSON.stringify(state.manifest) });
  if (state.corpusStatistics !== null) rows.push({ key: CORPUS_STATISTICS, value: state.corpusStatistics });
  if (state.wordList !== null) rows.push({ key: WORD_LIST, value: state.wordList });
  if (state.facts) rows.push({ key: SEARCH_FACTS, value: JSON.stringify(state.facts) });
  if (state.titles !== null) rows.push({ key: TITLES, value: state.titles });
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

/**
 * The meta row of each version is also kept beside the tables, as `meta-<version>.json` holding its `MetaState`:
 * a cold command reads that file (≈ 0.2 ms) instead of querying the meta table (≈ 4.5 ms, most of it LanceDB's
 * first-query start-up, which the search's own first query then pays instead). Measured on the sample corpus,
 * whole processes: a cold search ≈ 1.3 ms sooner on a full-text-only index, ≈ 4.5 ms on a word-vector one.
 * The meta table stays the one commit point: the writer removes every such file before it commits the meta table
 * and writes the new version's after, and a reader takes only the file of exactly the version it read
 * (`meta.version()`), so a missing or unreadable file (a crash in between, a read-only folder, an object store)
 * costs the query, never a wrong state — not even when the meta table is created anew and its versions restart.
 */
/** A meta file's name, of its version; the suffix marks one an interrupted write left, which no reader reads. */
const META_FILE = /^meta-(\d+)\.json(\.\d+\.partial)?$/;
const metaFileName = (version: number) => `meta-${version}.json`;

/** The meta row of `version` kept beside the tables, or null when there is none that parses. */
export function readMetaFile(location: string, version: number): MetaState | null {
  if (!isLocalLocation(location)) return null;
  try {
    const state = JSON.parse(readFileSync(path.join(location, metaFileName(version)), 'utf8')) as Partial<
      Record<keyof MetaState, unknown>
    > | null;
    const nullOr = (value: unknown, type: 'string' | 'object') => value === null || typeof value === type;
    const valid =
      typeof state?.settings === 'object' &&
      state.settings !== null &&
      nullOr(state.manifest, 'object') &&
      nullOr(state.corpusStatistics, 'string') &&
      nullOr(state.wordList, 'string') &&
      nullOr(state.facts, 'object') &&
      nullOr(state.titles, 'string');
    return valid ? (state as MetaState) : null;
  } catch {
    return null;
  }
}

/** Keep the meta row of `version`, just committed, beside the tables; a failure only costs readers the query. */
export function writeMetaFile(location: string, version: number, state: MetaState): void {
  if (!isLocalLocation(location)) return;
  const file = path.join(location, metaFileName(version));
  const partial = `${file}.${process.pid}.partial`;
  try {
    // Written whole under another name first: a reader sees the whole file or none.
    writeFileSync(partial, JSON.stringify(state));
    renameSync(partial, file);
  } catch {
    // A partial file left here goes with the others before the next commit (`removeMetaFiles`).
  }
}

/**
 * The meta row the writer starts from, read from the meta table; its file is written when missing (an ingest
 * stopped between the meta table's commit and the file's write, or an index written before there were meta
 * files), so readers need not query until the next change. The ingest lock keeps the version still meanwhile.
 */
export async function keepMetaFile(db: lancedb.Connection, location: string): Promise<MetaState> {
  const meta = await db.openTable(META);
  try {
    const version = await meta.version();
    const state = await readMeta(meta, location);
    if (!readMetaFile(location, version)) writeMetaFile(location, version, state);
    return state;
  } finally {
    meta.close();
  }
}

/**
 * Remove every meta file (and any an interrupted write left), before the meta table is written. A failure is
 * ignored: a folder where files can't be removed can't take the meta table's creation either, the one write
 * that restarts its versions, so a file left there names a version that is never written again.
 */
export function removeMetaFiles(location: string): void {
  if (!isLocalLocation(location)) return;
  try {
    for (const name of readdirSync(location)) if (META_FILE.test(name)) rmSync(path.join(location, name), { force: true });
  } catch {
    // See above.
  }
}

/** The versions of the (whole) meta files in an index folder: a reader's guess of its state, the integrity audit. */
export function metaFileVersions(location: string): number[] {
  if (!isLocalLocation(location)) return [];
  return readdirSync(location).flatMap((name) => {
    const match = META_FILE.exec(name);
    return match && match[2] === undefined ? [Number(match[1])] : [];
  });
}

/** The meta row of one version of the meta table, read from the table (for the integrity audit). */
export async function readMetaVersion(location: string, version: number): Promise<MetaState> {
  const db = await lancedb.connect(resolveLocation(location));
  try {
    const meta = await db.openTable(META);
    try {
      await meta.checkout(version);
      return await readMeta(meta, location);
    } finally {
      meta.close();
    }
  } finally {
    db.close();
  }
}

export async function readMeta(meta: lancedb.Table, location: string): Promise<MetaState> {
  const rows = await plainRows<{ key: string; value: string }>(meta.query());
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const settings = value('settings');
  if (!settings) throw new PriorsError(`index at ${location} is damaged (no settings row) — rerun ingest with --rebuild`);
  const manifest = value('manifest');
  const facts = value(SEARCH_FACTS);
  return {
    settings: JSON.parse(settings) as IndexSettings,
    manifest: manifest ? (JSON.parse(manifest) as Manifest) : null,
    corpusStatistics: value(CORPUS_STATISTICS) ?? null,
    wordList: value(WORD_LIST) ?? null,
    facts: facts ? (JSON.parse(facts) as SearchFacts) : null,
    // Parsed by the search that needs them (`documentTitles`), not by every command.
    titles: value(TITLES) ?? null,
  };
}

/** Object-store URIs (s3://, gs://, …) are passed to LanceDB as they are; plain paths are resolved. */
export function isLocalLocation(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

export function resolveLocation(location: string): string {
  return isLocalLocation(location) ? path.resolve(location) : location;
}

/** One consistent state of the index: both tables read at the versions one manifest names. */
export interface Snapshot {
  readonly metaVersion: number;
  readonly settings: IndexSettings;
  readonly corpusStatistics: string | null;
  readonly wordList: string | null;
  readonly chunks: lancedb.Table;
  /** The documents table, opened on first use: a search reads the chunk table only, and need not wait for its open. */
  documents(): Promise<lancedb.Table>;
  readonly facts: SearchFacts;
  /** The titles' meta value (`titlesValue`), or null: then they are in the documents table only. */
  readonly titles: string | null;
}

/** A snapshot and the tables it opened, which the store closes. */
interface OpenSnapshot extends Snapshot {
  close(): void;
}

/** Opens `IndexStore.prefetch` began, by resolved location, until an `open` takes them over. */
const prefetched = new Map<string, Promise<IndexStore>>();

/**
 * Read access to an index. Every read goes through `read()`, which takes the current snapshot (a check of the
 * meta table's version, ~0.02 ms, so a long-running `serve` or `mcp` sees what a later ingest committed
 * without a restart) and reads both tables at the versions it names.
 */
export class IndexStore {
  private current: OpenSnapshot;

  private constructor(
    readonly location: string,
    private readonly db: lancedb.Connection,
    private readonly meta: lancedb.Table,
    first: OpenSnapshot,
  ) {
    this.current = first;
  }

  /**
   * Start opening an index a caller is about to open, on LanceDB's threads while this one goes on: the next `open` of
   * the same location takes the opening over (its result or its error). A cold command can thus begin opening its
   * index before it has loaded the code that reads it (src/cli/program.ts).
   */
  static prefetch(location: string): void {
    const resolved = resolveLocation(location);
    if (prefetched.has(resolved)) return;
    const opening = IndexStore.openNow(resolved);
    // Reported to the caller that takes it over; one that never comes (a guessed location) has nothing to report.
    opening.catch(() => undefined);
    prefetched.set(resolved, opening);
  }

  /** Open an index for reading: a missing one is an `IndexMissingError`, one of another format an `IndexFormatError`. */
  static async open(location: string): Promise<IndexStore> {
    const resolved = resolveLocation(location);
    const opening = prefetched.get(resolved);
    if (!opening) return IndexStore.openNow(resolved);
    prefetched.delete(resolved);
    return opening;
  }

  private static async openNow(resolved: string): Promise<IndexStore> {
    if (isLocalLocation(resolved)) {
      const stat = statSync(resolved, { throwIfNoEntry: false });
      if (!stat) throw new IndexMissingError(resolved);
      if (!stat.isDirectory()) throw new IndexNotFolderError(resolved);
    }
    const db = await lancedb.connect(resolved, { readConsistencyInterval: 0 });
    const early = openChunksEarly(db, resolved);
    // Opened first and asked about only on failure: every LanceDB call a cold search waits for adds to its start-up.
    const meta = await db.openTable(META).catch(async (err: unknown) => {
      early?.discard();
      if (!(await db.tableNames()).includes(META)) throw new IndexMissingError(resolved);
      throw err;
    });
    return new IndexStore(resolved, db, meta, await loadLatestSnapshot(db, meta, resolved, early));
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
    return this.read(async (s) => plainRows<DocumentRow>((await s.documents()).query()));
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
      const rows = await this.read(async (s) => plainRows<DocumentRow>((await s.documents()).query().where(like).limit(1000)));
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
    return this.read(async (s) => plainRows<DocumentRow>((await s.documents()).query().where(sqlIn('doc_id', docIds))));
  }

  async countChunks(): Promise<number> {
    return this.read((s) => s.chunks.countRows());
  }

  close(): void {
    this.current.close();
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
async function loadLatestSnapshot(
  db: lancedb.Connection,
  meta: lancedb.Table,
  location: string,
  early: EarlyChunks | null = null,
): Promise<OpenSnapshot> {
  let guess = early;
  for (let attempt = 1; ; attempt++) {
    const version = await meta.version();
    const guessed = guess?.metaVersion === version ? guess : null;
    if (guess && !guessed) guess.discard();
    // One guess, for the first attempt: a later one follows a publish, after which the guess is stale.
    guess = null;
    try {
      return await loadSnapshot(db, meta, version, location, guessed);
    } catch (err) {
      if (attempt >= SNAPSHOT_ATTEMPTS || err instanceof IndexFormatError || (await meta.version()) === version) throw err;
    }
  }
}

/** A table at one version. */
async function openAt(db: lancedb.Connection, name: string, version: number): Promise<lancedb.Table> {
  const table = await db.openTable(name);
  await table.checkout(version);
  return table;
}

/**
 * The chunk table of the state the index's meta file describes, opening while the meta table opens rather than
 * after it: one LanceDB call fewer on a cold command's path, ~0.8 ms of a cold search. A guess until the meta table
 * says its version is the file's (`loadLatestSnapshot`): the writer keeps one file, of the version it committed
 * last, but a reader may look between a commit and the file's removal or write. Null when there is not exactly one
 * file of this format to go by; a failed open is null too, and the snapshot then opens the table itself.
 */
interface EarlyChunks {
  metaVersion: number;
  state: MetaState;
  chunks: Promise<lancedb.Table | null>;
  /** Close the table, for a guess that turned out wrong. */
  discard(): void;
}

function openChunksEarly(db: lancedb.Connection, location: string): EarlyChunks | null {
  let versions: number[];
  try {
    versions = metaFileVersions(location);
  } catch {
    return null;
  }
  const [metaVersion] = versions;
  if (metaVersion === undefined || versions.length > 1) return null;
  const state = readMetaFile(location, metaVersion);
  if (state?.settings.formatVersion !== INDEX_FORMAT_VERSION || !state.manifest || !state.facts) return null;
  const chunks = openAt(db, tableNames(state.manifest.generation).chunks, state.manifest.chunks).catch(() => null);
  return { metaVersion, state, chunks, discard: () => void chunks.then((table) => table?.close()) };
}

/**
 * The snapshot of the meta table at `metaVersion` (read just before), from that version's meta file when there is
 * one (`readMetaFile`), else from the meta table: should the query see a later publish, the next `snapshot()`
 * finds the version moved and loads again. `early`, of this version, brings the state and the chunk table.
 */
async function loadSnapshot(
  db: lancedb.Connection,
  meta: lancedb.Table,
  metaVersion: number,
  location: string,
  early: EarlyChunks | null,
): Promise<OpenSnapshot> {
  const { settings, manifest, corpusStatistics, wordList, facts, titles } =
    early?.state ?? readMetaFile(location, metaVersion) ?? (await readMeta(meta, location));
  if (settings.formatVersion !== INDEX_FORMAT_VERSION || !manifest) {
    throw new IndexFormatError(location, settings.formatVersion, INDEX_FORMAT_VERSION, (settings.roots?.length ?? 0) > 0);
  }
  if (!facts) throw new PriorsError(`index at ${location} is damaged (no search-facts row) — rerun ingest with --rebuild`);
  const names = tableNames(manifest.generation);
  const chunks = (await early?.chunks) ?? (await openAt(db, names.chunks, manifest.chunks));
  let documents: Promise<lancedb.Table> | null = null;
  return {
    metaVersion,
    settings,
    corpusStatistics,
    wordList,
    chunks,
    facts,
    titles,
    documents() {
      if (!documents) {
        const opening = openAt(db, names.documents, manifest.documents);
        // A failed open (an ingest removed the version meanwhile) is tried again by the next read, not kept.
        opening.catch(() => {
          if (documents === opening) documents = null;
        });
        documents = opening;
      }
      return documents;
    },
    close() {
      chunks.close();
      void documents?.then(
        (t) => t.close(),
        () => undefined,
      );
    },
  };
}
