import type { Half, Question } from './archive-questions.js';

/**
 * Scoring rules for the archive questions, the same as issue 15's hidden scorer: results come from
 * `priors search --batch -k 20 --json`; documents are ranked by their first passage in the list.
 */

/** The fields of a `priors search --json` result that scoring reads. */
export interface Hit {
  docId?: string;
  path?: string;
  lineStart?: number;
  lineEnd?: number;
}

/** One question's outcome in one mode. */
export interface Scored {
  id: string;
  kind: Question['kind'];
  half: Half;
  /** 1-based rank of the first relevant document among distinct documents, or null if none is listed. */
  docRank: number | null;
  hit5: number;
  rr10: number;
  recall10: number;
  line5: number;
}

export interface Metrics {
  n: number;
  hit5: number;
  mrr10: number;
  recall10: number;
  line5: number;
}

const norm = (p: string) => p.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');

/**
 * Index of the relevant file a result belongs to, or -1. Matches `path` and `docId` against the file (relative to
 * the data root) by path suffix in either direction, so ids that gain or lose a root-name prefix still match.
 */
export function relevantIndex(hit: Hit, relevant: readonly { file: string }[]): number {
  const candidates = [hit.path, hit.docId].filter((c): c is string => typeof c === 'string' && c.length > 0).map(norm);
  return relevant.findIndex(({ file }) => {
    const f = norm(file);
    return candidates.some((c) => c === f || f.endsWith(`/${c}`) || c.endsWith(`/${f}`));
  });
}

/** hit@5, reciprocal rank within 10, recall@10 over documents, and whether a top-5 passage covers an answering line. */
export function scoreQuestion(q: Pick<Question, 'relevant'>, hits: readonly Hit[]): Omit<Scored, 'id' | 'kind' | 'half'> {
  const docs: number[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    const key = norm(h.docId ?? h.path ?? '');
    if (seen.has(key)) continue;
    seen.add(key);
    docs.push(relevantIndex(h, q.relevant));
  }
  const first = docs.findIndex((rel) => rel >= 0);
  const docRank = first >= 0 ? first + 1 : null;
  const found10 = new Set(docs.slice(0, 10).filter((rel) => rel >= 0));
  const line5 = hits.slice(0, 5).some((h) => {
    const rel = q.relevant[relevantIndex(h, q.relevant)];
    if (!rel || typeof h.lineStart !== 'number') return false;
    const end = typeof h.lineEnd === 'number' ? h.lineEnd : h.lineStart;
    return h.lineStart <= rel.lines[1] && end >= rel.lines[0];
  });
  return {
    docRank,
    hit5: docRank !== null && docRank <= 5 ? 1 : 0,
    rr10: docRank !== null && docRank <= 10 ? 1 / docRank : 0,
    recall10: found10.size / q.relevant.length,
    line5: line5 ? 1 : 0,
  };
}

export function aggregate(rows: readonly Scored[]): Metrics {
  const n = rows.length;
  const mean = (f: (r: Scored) => number) => (n ? rows.reduce((s, r) => s + f(r), 0) / n : 0);
  return { n, hit5: mean((r) => r.hit5), mrr10: mean((r) => r.rr10), recall10: mean((r) => r.recall10), line5: mean((r) => r.line5) };
}
