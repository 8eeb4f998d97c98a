import path from 'node:path';
import { ModelMismatchError, PriorsError } from '../core/errors.js';
import type { ChunkOptions, Chunk, ParsedDocument } from '../core/types.js';
import { describeSignature, estimateTokens, signatureOf, type Embedder, type EmbeddingSignature } from '../embed/embedder.js';
import { contextPrefix, toChunkRow, toDocumentRow } from '../index/rows.js';
import type { ChunkRow, DocumentRow } from '../index/schema.js';
import { DEFAULT_CHUNKING, sameChunking, sameEmbedding, type IndexSettings } from '../index/settings.js';
import { IndexStore, isLocalLocation } from '../index/store.js';
import { acquireIngestLock } from '../index/lock.js';
import { chunkDocument } from './chunk.js';
import { discoverFiles, type SourceFile } from './discover.js';
import { parseFile, parseJsonl, SUPPORTED_EXTENSIONS } from './parse.js';
import { decodeSource, readRegularFile, sha256 } from '../text/read-source.js';

export interface IngestOptions {
  roots: string[];
  index: string;
  /** Null: full-text only. A `LazyEmbedder` is loaded only if something needs embedding. */
  embedder: Embedder | LazyEmbedder | null;
  rebuild?: boolean;
  chunking?: ChunkOptions;
  /** Files larger than this are skipped with a warning. */
  maxFileBytes?: number;
  onProgress?: (p: IngestProgress) => void;
  onWarning?: (message: string) => void;
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
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  skipped: number;
  chunksWritten: number;
  documents: number;
  chunks: number;
  warnings: string[];
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
}

function checkSettings(store: IndexStore, wanted: IndexSettings): void {
  const have = store.settings;
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

/** Build or update an index from folders of writing: only new and changed documents are parsed and embedded. */
export async function ingest(opts: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const timings: StageTimings = { readParseMs: 0, chunkMs: 0, embedMs: 0, writeMs: 0, indexMs: 0 };
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const chunking = opts.chunking ?? DEFAULT_CHUNKING;
  const release = isLocalLocation(opts.index) ? acquireIngestLock(opts.index) : () => undefined;
  const store = await IndexStore.open(opts.index, { create: true });
  try {
    const now = new Date().toISOString();
    const spec = opts.embedder;
    const stored = store.settings?.embedding ?? null;
    let embedder: Embedder | null = null;
    let deferred: LazyEmbedder | null = null;
    /** Set when the embedder needs corpus statistics the index doesn't have yet (new index, --rebuild). */
    let fitPending = false;
    // An index's frozen statistics go back into the embedder that made its vectors; without any, they are
    // fitted on the first batch (even if this embedder object was fitted before, on another index).
    const adoptStatistics = (e: Embedder) => {
      const saved = store.corpusStatistics;
      if (e.corpusStatistics && saved !== null) e.corpusStatistics.restore(saved);
      else fitPending = e.corpusStatistics !== undefined;
    };
    if (spec && isLazy(spec)) {
      const exists = !opts.rebuild && store.settings !== null;
      // No model named: an existing index keeps the one it was built with (none, for a full-text index).
      const keep = exists && spec.model === null;
      const sameModel = exists && stored !== null && stored.backend === spec.backend && stored.model === spec.model;
      if (keep || sameModel) deferred = stored ? spec : null;
      else embedder = await spec.load(null);
    } else {
      embedder = spec;
    }
    const signature = embedder ? signatureOf(embedder) : deferred ? stored : null;
    const getEmbedder = async (): Promise<Embedder | null> => {
      if (!deferred) return embedder;
      embedder = await deferred.load(stored);
      deferred = null;
      if (!embedder) {
        throw new PriorsError(
          `index at ${store.location} uses ${describeSignature(stored)}, which could not be loaded — fix the model setup or rerun ingest with --rebuild`,
          'model_mismatch',
        );
      }
      if (!sameEmbedding(signatureOf(embedder), signature)) {
        throw new ModelMismatchError(store.location, describeSignature(signature), describeSignature(signatureOf(embedder)));
      }
      adoptStatistics(embedder);
      return embedder;
    };
    const wanted: IndexSettings = {
      formatVersion: 1,
      embedding: signature,
      chunking,
      createdAt: store.settings?.createdAt ?? now,
      lastIngestAt: now,
    };
    if (opts.rebuild || !store.settings) await store.reset(wanted);
    else checkSettings(store, wanted);
    if (embedder) adoptStatistics(embedder);

    const existing = new Map((await store.listDocuments()).map((d) => [d.doc_id, d]));
    const byFile = new Map<string, DocumentRow[]>();
    for (const d of existing.values()) byFile.set(d.abs_path, [...(byFile.get(d.abs_path) ?? []), d]);
    const { files, unreadable } = discoverFiles(opts.roots, SUPPORTED_EXTENSIONS, [store.location]);
    const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;

    const seen = new Set<string>();
    const report = { added: 0, updated: 0, unchanged: 0, skipped: 0, chunksWritten: 0 };
    for (const u of unreadable) {
      report.skipped++;
      warn(`${u.relPath}: skipped, ${u.reason}; what was indexed from it stays as it was`);
      // Nothing can be said about the files in there: they keep their last indexed state.
      const prefix = u.absPath.endsWith(path.sep) ? u.absPath : u.absPath + path.sep;
      for (const d of existing.values()) if (d.abs_path === u.absPath || d.abs_path.startsWith(prefix)) seen.add(d.doc_id);
    }
    let pending: { doc: PendingDoc; chunks: Chunk[] }[] = [];
    let pendingChunks = 0;
    let filesDone = 0;
    const progress = (phase: IngestProgress['phase']) =>
      opts.onProgress?.({ phase, filesDone, filesTotal: files.length, chunksDone: report.chunksWritten });

    /** What is embedded: each chunk's text with its title/heading prefix. */
    const passageTexts = (batch: typeof pending): string[] =>
      batch.flatMap(({ doc, chunks }) =>
        chunks.map((c) => {
          const prefix = contextPrefix(doc.doc.meta, c);
          return prefix ? `${prefix}\n\n${c.text}` : c.text;
        }),
      );

    const embedBatch = async (batch: typeof pending): Promise<Float32Array[] | null> => {
      // Loaded already: chunking the batch needed its tokenizer.
      if (!embedder) return null;
      const t = performance.now();
      const vectors = await embedder.embedPassages(passageTexts(batch));
      timings.embedMs += performance.now() - t;
      return vectors;
    };

    const writeBatch = async (batch: typeof pending, vectors: Float32Array[] | null) => {
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
            },
            now,
          ),
        );
        if (doc.isNew) report.added++;
        else report.updated++;
      }
      await store.replaceDocuments(docRows, chunkRows);
      report.chunksWritten += chunkRows.length;
      timings.writeMs += performance.now() - t;
      progress('index');
    };

    // One batch is embedded and written while the next is read and chunked: with an embedder that runs
    // in worker threads, parsing and embedding use both cores. Writes stay in order, one at a time.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      pendingChunks = 0;
      const statistics = embedder?.corpusStatistics;
      if (statistics && fitPending) {
        fitPending = false;
        // The first batch of a new index: freeze the corpus statistics before any vector is made.
        const t = performance.now();
        statistics.fit(passageTexts(batch));
        await store.writeCorpusStatistics(statistics.save());
        timings.embedMs += performance.now() - t;
      }
      await inFlight;
      inFlight = embedBatch(batch).then((vectors) => writeBatch(batch, vectors));
      // Handled when awaited (next flush or the end); this only stops an early rejection counting as unhandled.
      inFlight.catch(() => undefined);
    };

    const queue = async (item: PendingDoc) => {
      // Chunk budgets are measured with the model's tokenizer, so the first changed document loads it.
      const model = await getEmbedder();
      const t = performance.now();
      const chunks = chunkDocument(item.doc, chunking, model ? (text) => model.countTokens(text) : estimateTokens);
      timings.chunkMs += performance.now() - t;
      pending.push({ doc: item, chunks });
      pendingChunks += chunks.length;
      if (pendingChunks >= (fitPending ? FIT_SAMPLE_CHUNKS : FLUSH_CHUNKS)) await flush();
    };

    for (const file of files) {
      filesDone++;
      const t = performance.now();
      if (file.size > maxBytes) {
        report.skipped++;
        warn(`${file.relPath}: skipped, ${file.size} bytes is over the ${maxBytes}-byte limit (--max-file-size)`);
        markSeen(byFile.get(file.absPath), seen);
        continue;
      }
      // A regular file only, read once: it may have been deleted, replaced or locked since discovery.
      const read = readRegularFile(file.absPath, maxBytes);
      if (!read.ok) {
        report.skipped++;
        if (read.gone) {
          warn(`${file.relPath}: skipped, ${read.reason} (gone since the scan); it leaves the index`);
        } else {
          warn(`${file.relPath}: skipped, ${read.reason}`);
          markSeen(byFile.get(file.absPath), seen);
        }
        continue;
      }
      const decoded = decodeSource(read.bytes);
      if (!decoded.ok) {
        report.skipped++;
        warn(`${file.relPath}: skipped, ${decoded.reason}`);
        // A file that turned unreadable keeps its last good version in the index.
        markSeen(byFile.get(file.absPath), seen);
        continue;
      }
      const known = byFile.get(file.absPath) ?? [];
      if (known.length > 0 && known.every((d) => d.file_hash === decoded.hash)) {
        // The whole file is unchanged: nothing to parse.
        markSeen(known, seen);
        report.unchanged += known.length;
        timings.readParseMs += performance.now() - t;
        progress('scan');
        continue;
      }
      const docs: ParsedDocument[] = [];
      if (file.relPath.toLowerCase().endsWith('.jsonl')) {
        const parsed = parseJsonl({ relPath: file.relPath, content: decoded.content });
        for (const e of parsed.errors) warn(`${file.relPath}:${e.line}: ${e.message}`);
        docs.push(...parsed.docs);
      } else {
        docs.push(parseFile({ relPath: file.relPath, docId: file.docId, content: decoded.content }));
      }
      timings.readParseMs += performance.now() - t;
      for (const doc of docs) {
        const docId = doc.meta.docId;
        for (const w of doc.warnings) warn(w);
        if (seen.has(docId)) {
          report.skipped++;
          warn(`${file.relPath}: skipped document ${docId}, the id is already used by another document`);
          continue;
        }
        seen.add(docId);
        // A JSONL record's hash covers its own text and fields, so editing one record re-embeds only that one.
        const contentHash =
          docs.length === 1 && !file.relPath.endsWith('.jsonl') ? decoded.hash : sha256(JSON.stringify([doc.meta, doc.source]));
        const old = existing.get(docId);
        if (old && old.content_hash === contentHash && old.abs_path === file.absPath) {
          report.unchanged++;
          continue;
        }
        await queue({ doc, file, contentHash, fileHash: decoded.hash, isNew: !old });
      }
      progress('scan');
    }
    await flush();
    await inFlight;

    const removed = [...existing.keys()].filter((id) => !seen.has(id));
    let t = performance.now();
    await store.removeDocuments(removed);
    timings.writeMs += performance.now() - t;

    t = performance.now();
    if (report.added + report.updated + removed.length > 0 || opts.rebuild) await store.refreshIndexes();
    await store.writeSettings(wanted);
    timings.indexMs += performance.now() - t;
    progress('finish');

    return {
      index: store.location,
      model: describeSignature(wanted.embedding),
      ...report,
      removed: removed.length,
      documents: existing.size - removed.length + report.added,
      chunks: await store.countChunks(),
      warnings,
      timings,
      totalMs: performance.now() - started,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    store.close();
    release();
  }
}

function markSeen(rows: DocumentRow[] | undefined, seen: Set<string>): void {
  for (const r of rows ?? []) seen.add(r.doc_id);
}
