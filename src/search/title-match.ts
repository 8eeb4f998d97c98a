/**
 * A request that names a post by its title — "Llama 2", "the Grok 3 post", "why reasoning models generalize" — wants
 * that post, but its words are in every passage's indexed text of that post (title and headings weigh in like
 * passage words) and in every other post on the same model or topic, so BM25 and the vectors rank it among its
 * neighbours, often below a long post that mentions the name more. Here the request's content words are compared
 * with the archive's titles: a title that holds them all (or all but one of a longer request) is one the author
 * named, and search lifts that document to the top. Fusing a whole title list with the passages was measured and
 * dropped (BENCHMARKS.md, ranking experiments: no gain); this fires only when the request is a title.
 */

/**
 * Words that frame a request or join a title's words and say nothing of which post is meant ("the Grok 3 post",
 * "my take on…"): function words, and the words a person names writing with.
 */
const FRAME = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its just me ' +
    'my no not of on or our so such than that the their them then there these they this those to too us was we were ' +
    'what when where which who why will with would you your post posts piece article essay newsletter blog take ' +
    'thoughts wrote about'
  ).split(' '),
);

/** Spellings a person types for one title word. */
const SAME = new Map([
  ['versus', 'vs'],
  ['v', 'vs'],
]);

/**
 * A text's words as titles are compared: lower case, accents dropped (Tülu = Tulu), "'s" dropped, split at anything
 * not a letter or digit ("3.1" = 3 1, "over-optimization" = over optimization), a plural's "s" dropped (evals = eval),
 * and the frame words left out.
 */
export function titleWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !FRAME.has(w))
    .map((w) => SAME.get(w) ?? (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/**
 * At most this many titles may hold a request's words for it to count as naming one: words found in more titles
 * ("reasoning", "RLHF") are a topic, not a name, and are left to the ranking.
 */
const NAMED_TITLES_MAX = 3;

/** Whether `words` appear in `title` next to each other, in order. */
function isPhraseIn(words: readonly string[], title: readonly string[]): boolean {
  for (let i = 0; i + words.length <= title.length; i++) if (words.every((w, j) => title[i + j] === w)) return true;
  return false;
}

/**
 * Whether a title holds a request's words: as a phrase when the request has two, else all of them, or all but
 * one that some title has (`vocabulary`).
 */
function holds(request: readonly string[], title: readonly string[], vocabulary: ReadonlyMap<string, unknown>): boolean {
  // Two words found apart are chance ("Llama 3.2" holds "llama" and "2"); a longer request is a title typed from
  // memory, which may change a word ("AI safety culture vs capitalism" for "… confronts capitalism"). A word no
  // title has is no slip of memory but the request's own subject ("TNFAIP3 is a tumor suppressor in glioblastoma"
  // is not the paper "… as a tumor suppressor gene in glioblastoma": SciFact), so it is never the one let go.
  if (request.length <= 2) return isPhraseIn(request, title);
  const words = new Set(title);
  const missing = request.filter((w) => !words.has(w));
  return missing.length === 0 || (request.length >= 4 && missing.length === 1 && vocabulary.has(missing[0] as string));
}

/** The titles of one index, tokenised once. */
export class TitleIndex {
  private readonly titles: { docId: string; words: string[] }[];
  /** For each title word, the titles that have it: a request is compared with those few titles, not all. */
  private readonly postings = new Map<string, number[]>();

  constructor(titles: readonly { docId: string; title: string }[]) {
    this.titles = titles.map((t) => ({ docId: t.docId, words: titleWords(t.title) }));
    this.titles.forEach((t, i) => {
      for (const w of new Set(t.words)) {
        const list = this.postings.get(w);
        if (list) list.push(i);
        else this.postings.set(w, [i]);
      }
    });
  }

  /**
   * The documents whose titles the request names, each with the share of its title's words the request has (none
   * when no title, or too many titles, hold its words): "Llama 2" is more of "Llama 2: an incredible open LLM" than
   * of "Llama 2 follow-up: too much RLHF, GPU sizing, technical details", and a person typing a title from memory
   * types most of it.
   */
  named(request: string): Map<string, number> {
    const words = titleWords(request);
    // One word is a topic even where few titles have it ("the first time I wrote about RLHF" on a small archive with
    // two RLHF titles): a name takes two words at least ("Llama 2", "character training").
    if (words.length < 2) return new Map();
    // A title that holds the request has all its words but one at most, so one of its two rarest: only titles with
    // either are compared (on 5,183 SciFact titles this takes a request from ~2.7 ms to a few microseconds).
    const rarest = [...new Set(words)].sort((a, b) => this.df(a) - this.df(b)).slice(0, words.length >= 4 ? 2 : 1);
    const candidates = new Set(rarest.flatMap((w) => this.postings.get(w) ?? []));
    const found = [...candidates].map((i) => this.titles[i] as { docId: string; words: string[] });
    const held = found.filter((t) => holds(words, t.words, this.postings));
    if (held.length > NAMED_TITLES_MAX) return new Map();
    const asked = new Set(words);
    return new Map(held.map((t) => [t.docId, t.words.filter((w) => asked.has(w)).length / t.words.length]));
  }

  /** How many titles have this word. */
  private df(word: string): number {
    return this.postings.get(word)?.length ?? 0;
  }
}
