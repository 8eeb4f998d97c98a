import path from 'node:path';
import { ModelMismatchError, PriorsError, UsageError } from '../core/errors.js';
import type { ChunkOptions, Chunk, ParsedDocument, RootRequest, TurnMark } from '../core/types.js';
import { describeSignature, estimateTokens, signatureOf, type Embedder, type EmbeddingSignature } from '../embed/embedder.js';
import { contextPrefix, toChunkRow, toDocumentRow } from '../index/rows.js';
import type { ChunkRow, DocumentRow } from '../index/schema.js';
import { DEFAULT_CHUNKING, INDEX_FORMAT_VERSION, sameChunking, sameEmbedding, type IndexSettings } from '../index/settings.js';
import { IndexWriter, type CommitPoint } from '../index/writer.js';
import { chunkDocument } from './chunk.js';
import { encloseInPassages, passageChunking } from './passages.js';
import { discoverFiles, type SourceFile } from './discover.js';
import { parseFile, parseJsonl, SUPPORTED_EXTENSIONS } from './parse.js';
import { extractLinks, type LinkMark } from '../text/links.js';
import { decodeSource, readRegularFile, sha256 } from '../text/read-source.js';
import { planRoots, type RootPlan } from './roots.js';

export interface IngestOptions {
  /**
   * Folders or files to read, each with optional root settings (a bare path is a root with none). Empty:
   * every root the index remembers. Roots not named here keep their documents.
   */
  roots: (string | RootRequest)[];
  /** Read when no roots are given and there is no index yet (a fresh clone's sample corpus). */
  fallbackRoots?: string[];
  /** Read every remembered root besides `roots` (a bare `priors ingest` with roots in the config file). */
  everyRoot?: boolean;
  index: string;
  /** Null: full-text only. A `LazyEmbedder` is loaded only if something needs embedding. */
  embedder: Embedder | LazyEmbedder | null;
  rebuild?: boolean;
  chunking?: ChunkOptions;
  /** Files larger than this are skipped with a warning. */
  maxFileBytes?: number;
  onProgress?: (p: IngestProgress) => void;
  onWarning?: (message: string) => void;
  /** One-line notices that are not about the inputs (an interrupted ingest rolled back, an old index rebuilt). */
  onNotice?: (message: string) => void;
  /** Tests stop the ingest at a commit point by throwing here (see IndexWriter). */
  afterCommit?: (point: CommitPoint) => void;
}

/**
 * A model named but not yet loaded: when the index already uses it, a run with nothing to embed (the common
 * no-op or one-edit re-ingest) never pays for loading it.
 */
export interface LazyEmbedder {
  backend: EmbeddingSignature['backend'];
  /** Null when no model was named: an existing index keeps its own, a new one gets the default. */
  model: string | null;
  /**
   * `index` is the model an existing index was built with (load exactly that), null for a new index or
   * another model. Resolves to null when the model can't be had (full-text only).
   */
  load(index: EmbeddingSignature | null): Promise<Embedder | null>;
}

function isLazy(e: Embedder | LazyEmbedder): e is LazyEmbedder {
  return 'load' in e;
}

export interface IngestProgress {
  phase: 'scan' | 'index' | 'finish';
  filesDone: number;
  filesTotal: number;
  chunksDone: number;
}

export interface StageTimings {
  readParseMs: number;
  chunkMs: number;
  embedMs: number;
  writeMs: number;
  indexMs: number;
}

export interface IngestReport {
  index: string;
  model: string;
  /** Names of the roots read in this run. */
  roots: string[];
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  skipped: number;
  chunksWritten: number;
  documents: number;
  chunks: number;
  warnings: string[];
  /** Things done to the index itself (a rollback after an interrupted ingest, a rebuild of an older format). */
  notices: string[];
  timings: StageTimings;
  totalMs: number;
  /** Peak resident memory of this process so far. */
  peakRssBytes: number;
}

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Flush to the index every this many chunks: bounds memory and the work a crash can lose. */
const FLUSH_CHUNKS = 1024;
/**
 * Corpus statistics (SIF weights) are fitted on the first build's passages before anything is embedded:
 * the whole corpus when it has fewer chunks than this, else its first this many (bounded memory).
 */
const FIT_SAMPLE_CHUNKS = 50_000;

interface PendingDoc {
  doc: ParsedDocument;
  file: SourceFile;
  contentHash: string;
  fileHash: string;
  isNew: boolean;
  /** Every warning reading its file gave: stored with the document and replayed while the file is unchanged. */
  fileWarnings: string[];
}

function checkSettings(store: IndexWriter, wanted: IndexSettings): void {
  const have = store.currentSettings;
  if (!have) return;
  if (!sameEmbedding(have.embedding, wanted.embedding)) {
    if (wanted.embedding === null) {
      throw new PriorsError(
        `index at ${store.location} was built with ${describeSignature(have.embedding)}, which could not be loaded here — fix the model setup or rerun ingest with --rebuild for a full-text-only index`,
        'model_mismatch',
      );
    }
    throw new ModelMismatchError(store.location, describeSignature(have.embedding), describeSignature(wanted.embedding));
  }
  if (!sameChunking(have.chunking, wanted.chunking)) {
    throw new PriorsError(
      `index at ${store.location} was chunked with ${have.chunking.maxTokens}/${have.chunking.overlapTokens} tokens, not ${wanted.chunking.maxTokens}/${wanted.chunking.overlapTokens} — rerun ingest with --rebuild`,
      'conflict',
    );
  }
}

function wordCount(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/**
 * The embedder of one run. A model the index already uses is loaded only when a changed document needs its
 * tokenizer (a no-op re-ingest never loads it); its corpus statistics are restored from the index, or fitted
 * on the first batch of a new one.
 */
class RunModel {
  /** Set when the embedder needs corpus statistics the index doesn't have yet (new index, --rebuild). */
  fitPending = false;

  private constructor(
    private readonly store: IndexWriter,
    /** The model the index was built with, as it was before this run. */
    private readonly stored: EmbeddingSignature | null,
    private embedder: Embedder | null,
    private deferred: LazyEmbedder | null,
    /** What the index will record: the loaded model's signature, or the stored one while deferred. */
    readonly signature: EmbeddingSignature | null,
  ) {}

  static async choose(store: IndexWriter, spec: IngestOptions['embedder'], rebuild: boolean): Promise<RunModel> {
    const stored = store.currentSettings?.embedding ?? null;
    if (!spec || !isLazy(spec)) return new RunModel(store, stored, spec, null, spec ? signatureOf(spec) : null);
    const exists = !rebuild && store.currentSettings !== null;
    // No model named: an existing index keeps the one it was built with (none, for a full-text index).
    const keep = exists && spec.model === null;
    const sameModel = exists && stored !== null && stored.backend === spec.backend && stored.model === spec.model;
    if (keep || sameModel) return new RunModel(store, stored, null, stored ? spec : null, stored);
    const embedder = await spec.load(null);
    return new RunModel(store, stored, embedder, null, embedder ? signatureOf(embedder) : null);
  }

  /** The embedder if it is loaded (for embedding a batch: chunking it loaded the model already). */
  get loaded(): Embedder | null {
    return this.embedder;
  }

  /** The embedder, loading a deferred one now. */
  async get(): Promise<Embedder | null> {
    if (!this.deferred) return this.embedder;
    const stored = this.stored;
    const embedder = await this.deferred.load(stored);
    this.deferred = null;
    if (!embedder) {
      throw new PriorsError(
        `index at ${this.store.location} uses ${describeSignature(stored)}, which could not be loaded — fix the model setup or rerun ingest with --rebuild`,
        'model_mismatch',
      );
    }
    if (!sameEmbedding(signatureOf(embedder), this.signature)) {
      throw new ModelMismatchError(this.store.location, describeSignature(this.signature), describeSignature(signatureOf(embedder)));
    }
    this.embedder = embedder;
    this.adoptStatistics();
    return embedder;
  }

  /**
   * An index's frozen statistics go back into the embedder that made its vectors; without any, they are
   * fitted on the first batch (even if this embedder object was fitted before, on another index).
   */
  adoptStatistics(): void {
    const e = this.embedder;
    if (!e) return;
    const saved = this.store.corpusStatistics;
    if (e.corpusStatistics && saved !== null) e.corpusStatistics.restore(saved);
    else this.fitPending = e.corpusStatistics !== undefined;
    // The index's word list grows with the passages this run embeds; a damaged one is started afresh (it only
    // makes searches faster).
    try {
      e.wordList?.restore(this.store.wordList);
    } catch {
      e.wordList?.restore(null);
    }
  }

  /** Hand the writer the embedder's word list when this run's passages added words to it. */
  saveWordList(): void {
    const list = this.embedder?.wordList?.save();
    if (list) this.store.setWordList(list);
  }
}

type Batch = { doc: PendingDoc; chunks: Chunk[] }[];

/**
 * One ingest, as named phases: `prepare` (model and settings), `discover` (files), `visit` each file (diff it
 * against the index, parse what changed, chunk), batches `embed`ded and `commit`ted as they fill, then
 * `sweep` (documents whose files are gone, index refresh and publication) and the `report`.
 */
class IngestRun {
  private readonly timings: StageTimings = { readParseMs: 0, chunkMs: 0, embedMs: 0, writeMs: 0, indexMs: 0 };
  private readonly warnings: string[] = [];
  private readonly notices: string[] = [];
  private readonly chunking: ChunkOptions;
  private readonly now = new Date().toISOString();
  private readonly maxBytes: number;
  private model!: RunModel;
  private wanted!: IndexSettings;
  private plan!: RootPlan;
  /** Documents of roots this run does not read: never touched, and their ids are taken. */
  private otherIds = new Set<string>();
  /** Documents in the index before this run, of every root. */
  private totalBefore = 0;
  /** Documents in the index before this run, by id and by file. */
  private existing = new Map<string, DocumentRow>();
  private byFile = new Map<string, DocumentRow[]>();
  /** Ids still present in the sources (or kept: unreadable files keep their last good version). */
  private readonly seen = new Set<string>();
  private readonly counts = { added: 0, updated: 0, unchanged: 0, skipped: 0, chunksWritten: 0 };
  private filesTotal = 0;
  private filesDone = 0;
  private removed = 0;
  private pending: Batch = [];
  private pendingChunks = 0;
  /** The batch being embedded and committed while the next one is read and chunked. */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: IndexWriter,
    private readonly opts: IngestOptions,
    private readonly started: number,
  ) {
    this.chunking = opts.chunking ?? DEFAULT_CHUNKING;
    this.maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  private warn(m: string): void {
    this.warnings.push(m);
    this.opts.onWarning?.(m);
  }

  /**
   * A warning a file's parse gave (`relPath:line: …`, stored with its documents as written), named as the CLI names
   * documents, `<root>/<relPath>`: with several roots a bare path does not say which one holds the file.
   */
  private warnOf(file: SourceFile, m: string): void {
    this.warn(`${file.root.name}/${m}`);
  }

  notice(m: string): void {
    this.notices.push(m);
    this.opts.onNotice?.(m);
  }

  private progress(phase: IngestProgress['phase']): void {
    this.opts.onProgress?.({ phase, filesDone: this.filesDone, filesTotal: this.filesTotal, chunksDone: this.counts.chunksWritten });
  }

  /**
   * Settle the model and the index settings: a new index (or --rebuild, or an older format) is built aside;
   * an existing one must match, is rolled back to what was last published, and swept for orphan chunks.
   */
  async prepare(): Promise<void> {
    const { store, opts } = this;
    this.plan = this.planRoots();
    this.model = await RunModel.choose(store, opts.embedder, opts.rebuild === true);
    this.wanted = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedding: this.model.signature,
      chunking: this.chunking,
      createdAt: store.currentSettings?.createdAt ?? this.now,
      // Written only by a run that changes something: a no-op run writes nothing at all.
      lastIngestAt: this.now,
      roots: this.plan.all,
    };
    if (!opts.rebuild) checkSettings(store, this.wanted);
    await store.begin(this.wanted, { rebuild: opts.rebuild === true });
    this.model.adoptStatistics();
    const swept = await store.sweep();
    if (swept.docIds.length > 0) {
      this.notice(
        `${store.location}: removed ${swept.orphanChunks} orphan chunks and re-reads ${swept.docIds.length} documents whose chunks did not match their rows`,
      );
    }
  }

  /**
   * The roots of this run: the ones given (a stored path keeps its name, new ones are named after their
   * folder), else every root the index remembers, else (no index yet) the fallback. An index written before
   * roots were remembered can't say what its roots were: it asks for them once rather than guessing.
   */
  private planRoots(): RootPlan {
    const { store, opts } = this;
    // An index of an older format is rebuilt, but from the roots it remembers (format 3 and later keep them).
    const stored = store.currentSettings?.roots ?? store.stored?.settings.roots ?? [];
    let given = opts.roots;
    if (given.length === 0 && stored.length === 0) {
      if (store.stored !== null && !opts.rebuild) {
        throw new UsageError(
          `index at ${store.location} does not remember its roots (it predates them): name the folders once, e.g. priors ingest ~/writing/blog ~/writing/book`,
        );
      }
      given = opts.fallbackRoots ?? [];
    }
    const plan = planRoots(
      stored,
      given.map((r) => (typeof r === 'string' ? { path: r } : r)),
      { everyRoot: opts.everyRoot === true },
    );
    if (plan.ingest.length === 0) throw new UsageError(`index at ${store.location} remembers no roots — name a folder to ingest`);
    return plan;
  }

  /** The source files, and what the index holds now (of this run's roots: the others are left alone). */
  async discover(): Promise<SourceFile[]> {
    const runRoots = new Set(this.plan.ingest.map((r) => r.name));
    const all = await this.store.listDocuments();
    this.totalBefore = all.length;
    this.existing = new Map(all.filter((d) => runRoots.has(d.root)).map((d) => [d.doc_id, d]));
    this.otherIds = new Set(all.filter((d) => !runRoots.has(d.root)).map((d) => d.doc_id));
    for (const d of this.existing.values()) this.byFile.set(d.abs_path, [...(this.byFile.get(d.abs_path) ?? []), d]);
    const { files, unreadable, missing, empty } = discoverFiles(this.plan.ingest, SUPPORTED_EXTENSIONS, [this.store.location]);
    const formats = [...SUPPORTED_EXTENSIONS].join(' ');
    for (const { root, isFile, otherFiles } of empty) {
      if (isFile) {
        this.counts.skipped++;
        this.warn(`${root.path}: skipped, not a format priors reads (${formats})`);
      } else {
        const others = otherFiles ? `${otherFiles} file${otherFiles === 1 ? '' : 's'} of other types; ` : '';
        this.warn(`root "${root.name}": ${root.path} holds no file priors reads (${others}it reads ${formats})`);
      }
    }
    for (const root of missing) {
      const kept = [...this.existing.values()].filter((d) => d.root === root.name);
      this.markSeen(kept);
      this.warn(`root "${root.name}": ${root.path} is missing (unmounted?); its ${kept.length} documents stay in the index`);
    }
    for (const u of unreadable) {
      this.counts.skipped++;
      this.warn(
        `${u.relPath === '.' ? `root "${u.root}"` : `${u.root}/${u.relPath}`}: skipped, ${u.reason}; what was indexed from it stays as it was`,
      );
      // Nothing can be said about the files in there: they keep their last indexed state.
      const prefix = u.absPath.endsWith(path.sep) ? u.absPath : u.absPath + path.sep;
      for (const d of this.existing.values()) if (d.abs_path === u.absPath || d.abs_path.startsWith(prefix)) this.seen.add(d.doc_id);
    }
    this.filesTotal = files.length;
    return files;
  }

  /** Diff one file against the index and parse it if it changed; its changed documents go on to `queue`. */
  async visit(file: SourceFile): Promise<void> {
    this.filesDone++;
    const t = performance.now();
    if (file.size > this.maxBytes) {
      this.counts.skipped++;
      this.warn(`${file.docId}: skipped, ${file.size} bytes is over the ${this.maxBytes}-byte limit (--max-file-size)`);
      this.markSeen(this.byFile.get(file.absPath));
      return;
    }
    // A regular file only, read once: it may have been deleted, replaced or locked since discovery.
    const read = readRegularFile(file.absPath, this.maxBytes);
    if (!read.ok) {
      this.counts.skipped++;
      if (read.gone) {
        this.warn(`${file.docId}: skipped, ${read.reason} (gone since the scan); it leaves the index`);
      } else {
        this.warn(`${file.docId}: skipped, ${read.reason}`);
        this.markSeen(this.byFile.get(file.absPath));
      }
      return;
    }
    const decoded = decodeSource(read.bytes);
    if (!decoded.ok) {
      this.counts.skipped++;
      this.warn(`${file.docId}: skipped, ${decoded.reason}`);
      // A file that turned unreadable keeps its last good version in the index.
      this.markSeen(this.byFile.get(file.absPath));
      return;
    }
    const known = this.byFile.get(file.absPath) ?? [];
    // New root settings (URL template, book, author) change what a file's documents say: re-derive them.
    const settingsChanged = this.plan.changed.has(file.root.name);
    if (!settingsChanged && known.length > 0 && known.every((d) => d.file_hash === decoded.hash)) {
      // The whole file is unchanged: nothing to parse, but its warnings still stand (so --strict fails every time).
      for (const w of storedWarnings(known)) this.warnOf(file, w);
      this.markSeen(known);
      this.counts.unchanged += known.length;
      this.timings.readParseMs += performance.now() - t;
      this.progress('scan');
      return;
    }
    const fileWarnings: string[] = [];
    const docs = this.parse(file, decoded.content, fileWarnings);
    this.timings.readParseMs += performance.now() - t;
    const fresh: ParsedDocument[] = [];
    for (const doc of docs) {
      fileWarnings.push(...doc.warnings);
      if (this.seen.has(doc.meta.docId) || this.otherIds.has(doc.meta.docId)) {
        this.counts.skipped++;
        fileWarnings.push(`${file.relPath}: skipped document ${doc.meta.docId}, the id is already used by another document`);
        continue;
      }
      this.seen.add(doc.meta.docId);
      fresh.push(doc);
    }
    for (const w of fileWarnings) this.warnOf(file, w);
    for (const doc of fresh) {
      const docId = doc.meta.docId;
      // A JSONL record's hash covers its own text and fields, so editing one record re-embeds only that one.
      const contentHash =
        docs.length === 1 && !file.relPath.endsWith('.jsonl') ? decoded.hash : sha256(JSON.stringify([doc.meta, doc.source]));
      const old = this.existing.get(docId);
      if (old && !settingsChanged && old.content_hash === contentHash && old.abs_path === file.absPath) {
        this.counts.unchanged++;
        continue;
      }
      await this.queue({ doc, file, contentHash, fileHash: decoded.hash, isNew: !old, fileWarnings });
    }
    this.progress('scan');
  }

  /** The file's documents; its own warnings (bad JSONL lines) go to `warnings`. */
  private parse(file: SourceFile, content: string, warnings: string[]): ParsedDocument[] {
    if (!file.relPath.toLowerCase().endsWith('.jsonl')) {
      return [parseFile({ relPath: file.relPath, docId: file.docId, content, root: file.root })];
    }
    const parsed = parseJsonl({ relPath: file.relPath, content, root: file.root });
    for (const e of parsed.errors) warnings.push(`${file.relPath}:${e.line}: ${e.message}`);
    return parsed.docs;
  }

  private markSeen(rows: DocumentRow[] | undefined): void {
    for (const r of rows ?? []) this.seen.add(r.doc_id);
  }

  /** Chunk a changed document and add it to the pending batch. */
  private async queue(item: PendingDoc): Promise<void> {
    // Chunk budgets are measured with the model's tokenizer, so the first changed document loads it.
    const model = await this.model.get();
    const t = performance.now();
    const count = model ? (text: string) => model.countTokens(text) : estimateTokens;
    const chunks = encloseInPassages(
      item.doc.source,
      chunkDocument(item.doc, this.chunking, count),
      chunkDocument(item.doc, passageChunking(this.chunking), count),
    );
    this.timings.chunkMs += performance.now() - t;
    this.pending.push({ doc: item, chunks });
    this.pendingChunks += chunks.length;
    if (this.pendingChunks >= (this.model.fitPending ? FIT_SAMPLE_CHUNKS : FLUSH_CHUNKS)) await this.flush();
  }

  /**
   * Hand the pending batch to embed + commit. One batch is embedded and committed while the next is read and
   * chunked: with an embedder that runs in worker threads, parsing and embedding use both cores. Commits
   * stay in order, one at a time.
   */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingChunks = 0;
    const statistics = this.model.loaded?.corpusStatistics;
    if (statistics && this.model.fitPending) {
      this.model.fitPending = false;
      // The first batch of a new index: freeze the corpus statistics before any vector is made.
      const t = performance.now();
      statistics.fit(passageTexts(batch));
      this.store.setCorpusStatistics(statistics.save());
      this.timings.embedMs += performance.now() - t;
    }
    await this.inFlight;
    this.inFlight = this.embed(batch).then((vectors) => this.commit(batch, vectors));
    // Handled when awaited (next flush or the end); this only stops an early rejection counting as unhandled.
    this.inFlight.catch(() => undefined);
  }

  private async embed(batch: Batch): Promise<Float32Array[] | null> {
    // Loaded already: chunking the batch needed its tokenizer.
    const embedder = this.model.loaded;
    if (!embedder) return null;
    const t = performance.now();
    const vectors = await embedder.embedPassages(passageTexts(batch));
    this.timings.embedMs += performance.now() - t;
    return vectors;
  }

  /** Write a batch's documents and chunks to the index in one call. */
  private async commit(batch: Batch, vectors: Float32Array[] | null): Promise<void> {
    const t = performance.now();
    const chunkRows: ChunkRow[] = [];
    const docRows: DocumentRow[] = [];
    let v = 0;
    for (const { doc, chunks } of batch) {
      for (const c of chunks) chunkRows.push(toChunkRow(doc.doc.meta, c, doc.file.relPath, vectors ? vectors[v++]! : null));
      docRows.push(
        toDocumentRow(
          doc.doc.meta,
          {
            absPath: doc.file.absPath,
            relPath: doc.file.relPath,
            contentHash: doc.contentHash,
            fileHash: doc.fileHash,
            mtimeMs: doc.file.mtimeMs,
            size: doc.file.size,
            lineBase: doc.doc.lineBase,
            chunkCount: chunks.length,
            words: wordCount(chunks.length ? doc.doc.source : ''),
            warnings: doc.fileWarnings,
            turns: turnMarks(doc.doc),
            links: linksOf(doc.doc),
          },
          this.now,
        ),
      );
      if (doc.isNew) this.counts.added++;
      else this.counts.updated++;
    }
    await this.store.commit({ documents: docRows, chunks: chunkRows, remove: [] });
    this.counts.chunksWritten += chunkRows.length;
    this.timings.writeMs += performance.now() - t;
    this.progress('index');
  }

  /** Embed and commit what is still pending, and wait for the last batch. */
  async drain(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  /** Remove documents whose sources are gone, bring the indexes up to date, publish and clean up. */
  async sweep(): Promise<void> {
    const removed = [...this.existing.keys()].filter((id) => !this.seen.has(id));
    this.removed = removed.length;
    let t = performance.now();
    // In slices: each is one commit, and an SQL IN list of thousands of ids is slow to plan.
    for (let i = 0; i < removed.length; i += 500) await this.store.commit({ documents: [], chunks: [], remove: removed.slice(i, i + 500) });
    this.timings.writeMs += performance.now() - t;

    t = performance.now();
    this.model.saveWordList();
    await this.store.finish();
    this.timings.indexMs += performance.now() - t;
    this.progress('finish');
  }

  async report(): Promise<IngestReport> {
    return {
      index: this.store.location,
      model: describeSignature(this.wanted.embedding),
      roots: this.plan.ingest.map((r) => r.name),
      ...this.counts,
      removed: this.removed,
      documents: this.totalBefore - this.removed + this.counts.added,
      chunks: await this.store.countChunks(),
      warnings: this.warnings,
      notices: this.notices,
      timings: this.timings,
      totalMs: performance.now() - this.started,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
}

/** Turn starts of a parsed document, in order (empty when it has no speaker turns). */
function turnMarks(doc: ParsedDocument): TurnMark[] {
  const out: TurnMark[] = [];
  for (const b of doc.blocks) {
    if (b.kind !== 'turn' || b.speaker === null) continue;
    const last = out[out.length - 1];
    // Caption cues of one speaker continue one turn.
    if (last && last.speaker === b.speaker && b.timestamp === null) continue;
    out.push({ start: b.start, speaker: b.speaker, timestamp: b.timestamp });
  }
  return out;
}

/**
 * The links of the document's body (front matter such as `canonical_url` is not a link it makes) at their file
 * lines; every link of a JSONL record cites the record's line.
 */
function linksOf(doc: ParsedDocument): LinkMark[] {
  const body = doc.blocks.reduce((min, b) => Math.min(min, b.start), doc.source.length);
  const links = extractLinks(doc.source, doc.lineBase, body);
  return doc.linesMapToFile ? links : links.map((l) => ({ ...l, line: doc.lineBase }));
}

/** The warnings stored with a file's documents, each once. */
function storedWarnings(rows: readonly DocumentRow[]): string[] {
  return [...new Set(rows.flatMap((r) => JSON.parse(r.warnings) as string[]))];
}

/** What is embedded: each chunk's text with its title/heading prefix. */
function passageTexts(batch: Batch): string[] {
  return batch.flatMap(({ doc, chunks }) =>
    chunks.map((c) => {
      const prefix = contextPrefix(doc.doc.meta, c);
      return prefix ? `${prefix}\n\n${c.text}` : c.text;
    }),
  );
}

/** Build or update an index from folders of writing: only new and changed documents are parsed and embedded. */
export async function ingest(opts: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  // The writer's notices (a rollback, a rebuild of an older format) come from `prepare`, once the run exists.
  let run: IngestRun | null = null;
  const store = await IndexWriter.open(opts.index, { onNotice: (m) => run?.notice(m), afterCommit: opts.afterCommit });
  try {
    run = new IngestRun(store, opts, started);
    await run.prepare();
    for (const file of await run.discover()) await run.visit(file);
    await run.drain();
    await run.sweep();
    return await run.report();
  } finally {
    store.close();
  }
}
