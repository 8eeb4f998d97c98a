/**
 * The character n-gram side of hybrid search: a third ranked list, beside BM25 over stemmed words and the vectors,
 * for wording the author half-remembers — "Lovecraft" for "Lovecraftian", "fabrications" for "fabricated", a
 * misspelt name — where the stemmed words differ but most 5-character grams are shared. Only the request's content
 * words are sent: the grams of "where", "did", "about" match every passage, and a long request's grams made the
 * search several times slower without changing what it found (BENCHMARKS.md, ranking experiments).
 */

/** Function words and request words that carry no topic. */
const SKIP = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with i me my we our you your he she his her its where what when why how which who did do does said about one'.split(
    ' ',
  ),
);

/** Weight of the n-gram list in hybrid fusion, BM25's being 1 (tune half: 0.4 / 0.7 / 1 / 1.5 → 0.61 / 0.66 / 0.64 / 0.64 hit@5). */
export const CHAR_GRAM_WEIGHT = 0.7;

/** The words of `query` worth matching as n-grams: three letters or more, no function or request words. */
export function charGramQueryText(query: string): string {
  return query
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !SKIP.has(w.toLowerCase()))
    .join(' ');
}
