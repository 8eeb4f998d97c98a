import { loadBeir, type BeirDataset } from '../eval/beir.js';
import { evaluateMode, type ModeScores } from '../eval/evaluate.js';
import { openRetriever } from '../search/open-retriever.js';
import type { SearchMode } from '../search/types.js';

export { loadBeir };
export type { ModeScores };

export interface EvaluateOptions {
  /** An index of the dataset's corpus. */
  index: string;
  modelDir?: string | undefined;
  /** Cache root (config `cacheDir`), where the word-vector table is. */
  cacheDir?: string | undefined;
  data: BeirDataset;
  modes: readonly SearchMode[];
  onWarning: (message: string) => void;
}

/**
 * Retrieval quality of an index on a BEIR dataset (`priors eval`), one result per mode. Modes that need
 * vectors are skipped, with a warning, on an index without a model. Not a schema tool: it is a benchmark.
 */
export async function evaluateRetrieval(opts: EvaluateOptions): Promise<ModeScores[]> {
  const retriever = await openRetriever({ index: opts.index, modelDir: opts.modelDir, cacheDir: opts.cacheDir, onWarning: opts.onWarning });
  try {
    const results: ModeScores[] = [];
    for (const mode of opts.modes) {
      if (mode !== 'bm25' && !retriever.embedder) {
        opts.onWarning(`skipping ${mode}: the index has no embedding model`);
        continue;
      }
      results.push(await evaluateMode(retriever, opts.data, mode));
    }
    return results;
  } finally {
    await retriever.embedder?.dispose();
    retriever.store.close();
  }
}
