/**
 * Worker-thread half of the pooled embedder: loads the same model from the same location and embeds the
 * passages it is sent. Runs only from the built dist/ (worker threads load JavaScript).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { quietNativeLogs } from '../config/env.js';
import type { ModelLocation } from './model-location.js';
import { loadTransformersEmbedder } from './transformers-embedder.js';

export type WorkerRequest = { id: number; texts: string[] };
export type WorkerResponse = { id: number; vectors: Float32Array[] } | { id: number; error: string };

quietNativeLogs();
const port = parentPort;
if (!port) throw new Error('embed-worker must run as a worker thread');
const embedder = await loadTransformersEmbedder(workerData as ModelLocation);
port.postMessage({ ready: true });
port.on('message', (req: WorkerRequest) => {
  embedder.embedPassages(req.texts).then(
    (vectors) =>
      port.postMessage(
        { id: req.id, vectors } satisfies WorkerResponse,
        vectors.map((v) => v.buffer as ArrayBuffer),
      ),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse),
  );
});
