import type { FeatureExtractionPipeline, ProgressInfo } from '@huggingface/transformers';
import { PriorsError, errorMessage } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import type { ModelLocation } from './model-location.js';
import { modelSettings, type ModelSettings } from './registry.js';

const BATCH = 32;

export interface LoadOptions {
  onProgress?: ((info: { file: string; loaded: number; total: number }) => void) | undefined;
}

/** Registry entries are keyed by hub id; a local copy at `<root>/<org>/<name>` uses the same entry. */
function settingsFor(location: ModelLocation): ModelSettings {
  return modelSettings(location.id);
}

type TransformersModule = typeof import('@huggingface/transformers');

/**
 * How long the hub may take to start answering. Where a firewall drops packets instead of refusing them, a
 * plain fetch waits minutes; an offline machine should fall back (to word vectors) within seconds. Only
 * the wait for the response headers is bounded, never a download in progress.
 */
const HUB_RESPONSE_TIMEOUT_MS = 10_000;

function fetchWithTimeout(input: string | URL, init?: RequestInit): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer from ${new URL(input).host} within ${HUB_RESPONSE_TIMEOUT_MS / 1000} s`)),
    HUB_RESPONSE_TIMEOUT_MS,
  );
  return fetch(input, { ...init, signal: abort.signal }).finally(() => clearTimeout(timer));
}

function configureEnv(env: TransformersModule['env'], location: ModelLocation): void {
  if (location.kind === 'local') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = location.root.endsWith('/') ? location.root : `${location.root}/`;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.cacheDir = location.cacheDir;
    env.fetch = fetchWithTimeout;
  }
}

export async function loadTransformersEmbedder(location: ModelLocation, options: LoadOptions = {}): Promise<Embedder> {
  // Loaded on demand: importing transformers.js costs ~0.5 s, which commands without a model should not pay.
  const { env, pipeline } = await import('@huggingface/transformers');
  configureEnv(env, location);
  const base = settingsFor(location);
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', location.id, {
      dtype: base.dtype,
      progress_callback: (info: ProgressInfo) => {
        if (info.status === 'progress') options.onProgress?.({ file: info.file, loaded: info.loaded, total: info.total });
      },
    });
  } catch (err) {
    const where = location.kind === 'local' ? `in ${location.root}` : 'in the cache or on the Hugging Face hub';
    throw new PriorsError(`could not load embedding model ${location.id} ${where}: ${errorMessage(err)}`);
  }
  const tokenizer = extractor.tokenizer;

  async function run(texts: string[]): Promise<Float32Array[]> {
    // Batch texts of similar length together: a batch is padded to its longest text, so mixing a
    // one-line turn with a 300-token section wastes most of the batch's work.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out = new Array<Float32Array>(texts.length);
    for (let i = 0; i < order.length; i += BATCH) {
      const ids = order.slice(i, i + BATCH);
      const tensor = await extractor(
        ids.map((id) => texts[id]!),
        { pooling: base.pooling, normalize: true },
      );
      const data = tensor.data as Float32Array;
      const dim = data.length / ids.length;
      ids.forEach((id, j) => {
        out[id] = data.slice(j * dim, (j + 1) * dim);
      });
    }
    return out;
  }

  // The dimension comes from the model itself, so an unknown model still works.
  const probe = await run(['dimension probe']);
  const dimension = probe[0]?.length ?? 0;
  if (base.dimension !== null && base.dimension !== dimension) {
    throw new PriorsError(`model ${location.id} returned ${dimension}-d vectors, the registry says ${base.dimension}`);
  }
  const settings = { ...base, dimension };

  return {
    settings,
    embedPassages: (texts) => run(settings.passagePrefix ? texts.map((t) => settings.passagePrefix + t) : texts),
    embedQuery: async (text) => {
      const [v] = await run([settings.queryPrefix + text]);
      if (!v) throw new PriorsError('embedding model returned no vector for the query');
      return v;
    },
    countTokens: (text) => tokenizer.encode(text, { add_special_tokens: false }).length,
    dispose: () => extractor.dispose(),
  };
}
