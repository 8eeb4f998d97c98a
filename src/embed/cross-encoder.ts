import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { PriorsError, errorMessage } from '../core/errors.js';
import type { Reranker } from './reranker.js';
import { locateModel, type ModelLookup } from './model-location.js';

const BATCH = 16;

/**
 * A cross-encoder reranker (e.g. `Xenova/ms-marco-MiniLM-L-6-v2`) through transformers.js, found the same way
 * as embedding models. Off unless configured: no reranker weights ship with priors.
 */
export async function loadCrossEncoder(lookup: ModelLookup): Promise<Reranker> {
  const { AutoModelForSequenceClassification, AutoTokenizer, env } = await import('@huggingface/transformers');
  const location = locateModel(lookup);
  if (location.kind === 'local') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = `${location.root}/`;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.cacheDir = location.cacheDir;
  }
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(location.id);
    model = await AutoModelForSequenceClassification.from_pretrained(location.id, { dtype: 'q8' });
  } catch (err) {
    throw new PriorsError(`could not load reranker ${location.id}: ${errorMessage(err)}`);
  }
  return {
    id: location.id,
    async score(query, passages) {
      const scores: number[] = [];
      for (let i = 0; i < passages.length; i += BATCH) {
        const batch = passages.slice(i, i + BATCH);
        const inputs = tokenizer(new Array<string>(batch.length).fill(query), { text_pair: batch, padding: true, truncation: true });
        const { logits } = (await model(inputs)) as { logits: { data: Float32Array; dims: number[] } };
        // One logit per pair (relevance); for two-class heads take the positive class.
        const width = logits.dims[1] ?? 1;
        for (let j = 0; j < batch.length; j++) scores.push(logits.data[j * width + (width - 1)] ?? 0);
      }
      return scores;
    },
    dispose: async () => {
      await model.dispose();
    },
  };
}
