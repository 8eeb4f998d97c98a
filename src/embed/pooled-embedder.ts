import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PriorsError } from '../core/errors.js';
import type { WorkerResponse } from './embed-worker.js';
import type { Embedder } from './embedder.js';
import type { ModelLocation } from './model-location.js';

const WORKER_FILE = fileURLToPath(new URL('./embed-worker.js', import.meta.url));
/** Below this many texts, shipping them to workers costs more than it saves. */
const MIN_PARALLEL_TEXTS = 64;

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>;
}

function startWorker(location: ModelLocation): Promise<PoolWorker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: location });
    const pw: PoolWorker = { worker, pending: new Map() };
    worker.once('error', reject);
    worker.on('message', (msg: WorkerResponse | { ready: true }) => {
      if ('ready' in msg) return resolve(pw);
      const job = pw.pending.get(msg.id);
      if (!job) return;
      pw.pending.delete(msg.id);
      if ('error' in msg) job.reject(new PriorsError(`embedding worker failed: ${msg.error}`));
      else job.resolve(msg.vectors);
    });
  });
}

/**
 * Passage embedding spread over worker threads (one per core), for ingest: tokenisation and pooling are
 * JavaScript and would otherwise keep one core busy while the other idles. Queries, token counts and
 * settings stay with the in-process embedder. Returns `base` itself where workers can't run (from TS sources).
 */
export function withWorkerPool(base: Embedder, location: ModelLocation, size = availableParallelism()): Embedder {
  if (size < 2 || !existsSync(WORKER_FILE)) return base;
  // Workers start on the first large batch: a run that embeds a handful of chunks never spawns them.
  let started: Promise<PoolWorker[]> | null = null;
  const pool = () => (started ??= Promise.all(Array.from({ length: size }, () => startWorker(location))));
  let nextId = 0;
  const run = (pw: PoolWorker, texts: string[]) =>
    new Promise<Float32Array[]>((resolve, reject) => {
      const id = nextId++;
      pw.pending.set(id, { resolve, reject });
      pw.worker.postMessage({ id, texts });
    });
  return {
    settings: base.settings,
    countTokens: (text) => base.countTokens(text),
    embedQuery: (text) => base.embedQuery(text),
    async embedPassages(texts) {
      if (texts.length < MIN_PARALLEL_TEXTS) return base.embedPassages(texts);
      const workers = await pool();
      const per = Math.ceil(texts.length / workers.length);
      const parts = await Promise.all(workers.map((pw, i) => run(pw, texts.slice(i * per, (i + 1) * per))));
      return parts.flat();
    },
    async dispose() {
      if (started) await Promise.all((await started).map((pw) => pw.worker.terminate()));
      await base.dispose();
    },
  };
}
