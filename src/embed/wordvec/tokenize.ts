/**
 * Words as the vector table spells them: lower case, letters (and hyphenated compounds such as
 * "well-known", "mid-1990s"). The table has no numbers and no contractions, so "don't" becomes "do not",
 * "lab's" becomes "lab", and a hyphenated word the table lacks falls back to its parts.
 */
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const DIACRITICS = /\p{M}+/gu;
/** A character beyond printable ASCII (a word's characters are letters, digits, ' and -: never control characters). */
const BEYOND_ASCII = /[^ -~]/;

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

/**
 * The words of `text` as found, lower case, ’ made ' (both join words alike, so the same words are found). One
 * `match` call per text: soft matching tokenises a search's best 50 passages in every cold process, and a match
 * loop's per-word calls and match objects cost it more than the matching itself.
 */
function words(text: string): string[] {
  const lower = text.toLowerCase();
  return (lower.includes('’') ? lower.replaceAll('’', "'") : lower).match(WORD) ?? [];
}

/** Table rows of the words of `text`, in order; words the table lacks are left out. */
export function tableRows(text: string, lookup: Lookup, out: number[] = []): number[] {
  for (const word of words(text)) pushWord(word, lookup, out);
  return out;
}

/**
 * The distinct rows of `tableRows(text)`, in the order they first appear there: each distinct word is looked up
 * once (a word gives the same rows wherever it stands), which halves the lookups of a passage.
 */
export function distinctTableRows(text: string, lookup: Lookup): Int32Array {
  const rows: number[] = [];
  for (const word of new Set(words(text))) pushWord(word, lookup, rows);
  return Int32Array.from(new Set(rows));
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
  // "café" → "cafe": the table spells most borrowed words without accents (an ASCII word has none to drop).
  if (row < 0 && BEYOND_ASCII.test(token)) {
    const plain = token.normalize('NFD').replace(DIACRITICS, '');
    if (plain !== token) row = lookup(plain);
  }
  if (row >= 0) out.push(row);
  else if (token.includes('-')) for (const part of token.split('-')) if (part) pushWord(part, lookup, out);
}
