/**
 * Words as the vector table spells them: lower case, letters (and hyphenated compounds such as
 * "well-known", "mid-1990s"). The table has no numbers and no contractions, so "don't" becomes "do not",
 * "lab's" becomes "lab", and a hyphenated word the table lacks falls back to its parts.
 */
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const DIACRITICS = /\p{M}+/gu;

const CONTRACTION_TAILS: Record<string, string | null> = {
  s: null,
  re: 'are',
  ve: 'have',
  ll: 'will',
  d: 'would',
  m: 'am',
};
const NEGATED: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };

export type Lookup = (word: string) => number;

/** Table rows of the words of `text`, in order; words the table lacks are left out. */
export function tableRows(text: string, lookup: Lookup, out: number[] = []): number[] {
  for (const m of text.toLowerCase().matchAll(WORD)) {
    pushWord(m[0].replace(/’/g, "'"), lookup, out);
  }
  return out;
}

function pushWord(token: string, lookup: Lookup, out: number[]): void {
  const apostrophe = token.lastIndexOf("'");
  if (apostrophe > 0) {
    const head = token.slice(0, apostrophe);
    const tail = token.slice(apostrophe + 1);
    if (tail === 't' && head.endsWith('n')) {
      const stem = head.slice(0, -1);
      pushWord(NEGATED[stem] ?? stem, lookup, out);
      pushWord('not', lookup, out);
      return;
    }
    if (Object.hasOwn(CONTRACTION_TAILS, tail)) {
      pushWord(head, lookup, out);
      const expanded = CONTRACTION_TAILS[tail];
      if (expanded) pushWord(expanded, lookup, out);
      return;
    }
    // "o'brien", "rock'n'roll": the parts.
    for (const part of token.split("'")) pushWord(part, lookup, out);
    return;
  }
  let row = lookup(token);
  // "café" → "cafe": the table spells most borrowed words without accents.
  if (row < 0) {
    const plain = token.normalize('NFD').replace(DIACRITICS, '');
    if (plain !== token) row = lookup(plain);
  }
  if (row >= 0) out.push(row);
  else if (token.includes('-')) for (const part of token.split('-')) if (part) pushWord(part, lookup, out);
}
