import type { Retriever } from '../search/retriever.js';
import { mrrAtK, ndcgAtK, percentile, recallAtK } from '../search/metrics.js';
import type { SearchMode } from '../search/types.js';
import type { BeirDataset } from './beir.js';

export interface ModeScores {
  mode: SearchMode;
  queries: number;
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const round = (x: number) => Number(x.toFixed(4));

/** Run every judged query in one mode and score the ranking of distinct documents. */
export async function evaluateMode(retriever: Retriever, data: BeirDataset, mode: SearchMode): Promise<ModeScores> {
  const ndcg: number[] = [];
  const r10: number[] = [];
  const r100: number[] = [];
  const mrr: number[] = [];
  const latency: number[] = [];
  for (const [qid, rels] of data.qrels) {
    const query = data.queries.get(qid)!;
    const t = performance.now();
    const hits = await retriever.search({ query, k: 100, mode });
    latency.push(performance.now() - t);
    // A record may be split into several chunks: a document counts once, at its best rank.
    const ranked = [...new Set(hits.map((h) => h.docId))];
    ndcg.push(ndcgAtK(ranked, rels, 10));
    r10.push(recallAtK(ranked, rels, 10));
    r100.push(recallAtK(ranked, rels, 100));
    mrr.push(mrrAtK(ranked, rels, 10));
  }
  return {
    mode,
    queries: data.qrels.size,
    ndcg10: round(mean(ndcg)),
    recall10: round(mean(r10)),
    recall100: round(mean(r100)),
    mrr10: round(mean(mrr)),
    latencyP50Ms: Number(percentile(latency, 50).toFixed(2)),
    latencyP95Ms: Number(percentile(latency, 95).toFixed(2)),
  };
}
