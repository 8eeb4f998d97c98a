import { isStopWord, normalizeForMatch, wordTokens } from '../text/normalize.js';

/**
 * Authors phrase requests as instructions — "prior posts on calibration", "where did I say open models are a
 * year behind?", "find the exact line I said in the interview about mental effort". The instruction words
 * ("prior", "posts", "said", "line") are not what the passage contains and, in BM25, they match the wrong
 * passages; the topic is what remains once the preamble is removed.
 */
const PREAMBLES: readonly RegExp[] = [
  /^\s*(?:please\s+)?(?:find|show|list|get|give|pull up|look up|search(?: for)?)(?:\s+me)?(?:\s+(?:all|any|the|my))*\s+/i,
  /^\s*(?:(?:my|the|any|all)\s+)*(?:prior|previous|past|earlier|old|older)?\s*(?:posts?|writing|articles?|essays?|pieces?|chapters?|newsletters?|passages?|notes)\s+(?:on|about|regarding|re:?|covering|discussing|where|that)\s+/i,
  /^\s*(?:what|where|when|how)\s+(?:do|did|have|had)\s+I\s+(?:ever\s+)?(?:say|said|write|written|wrote|argue|argued|claim|claimed|mention|mentioned|discuss|discussed|talk(?:ed)?)(?:\s+(?:about|that|on))?\s+/i,
  /^\s*(?:the\s+)?(?:exact\s+)?(?:line|quote|words?|sentence|bit|part)\s+(?:I|where I)\s+(?:said|wrote|made)(?:\s+(?:in|on)\s+the\s+(?:interview|podcast|post|book|episode))?(?:\s+(?:about|on|that))?\s+/i,
  /^\s*(?:the\s+)?(?:exact\s+)?(?:line|quote|words?|sentence)\s+(?:about|on)\s+/i,
  // What is left of "the first time I wrote about X" once the "first" cue is taken out (parseQuery).
  /^\s*(?:the\s+)?times?\s+(?:that\s+)?I\s+(?:wrote|write|said|talked|posted|mentioned|discussed)(?:\s+(?:about|on))?\s+/i,
];

/**
 * Words one of `PREAMBLES` starts with (each regex begins with one of these, after spaces, in any case). Each regex
 * costs ~0.2 ms to compile on its first use in a process (twice: V8 compiles a regex again once it is reused), ~1.5 ms
 * of every cold search, and most requests start with none of these words: they are not run on those.
 */
const PREAMBLE_STARTS = (
  'please find show list get give pull look search my the any all prior previous past earlier old post writing ' +
  'article essay piece chapter newsletter passage note what where when how exact line quote word sentence bit part time'
).split(' ');

/** Whether one of `PREAMBLES` may match `text` (trimmed at the start): whether it starts with one of their words. */
function startsLikePreamble(text: string): boolean {
  const lower = text.toLowerCase();
  return PREAMBLE_STARTS.some((w) => lower.startsWith(w));
}

/**
 * Whether `lower` (lower-cased text) contains one of `words`: a cue regex can match only where it does, and
 * testing that first spares compiling the regex in most cold searches (see `PREAMBLE_STARTS`).
 */
function mentions(lower: string, words: readonly string[]): boolean {
  return words.some((w) => lower.includes(w));
}

/** The topic of a request: instruction preambles removed, trailing '?' dropped; the original if nothing is left. */
export function queryTopic(query: string): string {
  const q = withoutPreambles(query.trim(), true)
    .replace(/[?!.\s]+$/, '')
    .trim();
  return q || query.trim();
}

/** What kind of document a request points at, beyond its words. */
export type DocumentKind = 'chapter' | 'interview';

/** Cues in a request that say where to look rather than what to match. */
export interface QueryIntent {
  /** The text to match: the topic with the cue words removed (the original if nothing is left). */
  text: string;
  /** "in the book", "chapter" → chapters; "guest", "interview", "podcast", "episode", "conversation" → interviews. */
  kind: DocumentKind | null;
  /** Years named in the request ("in 2023", "back in 2021"). */
  years: number[];
  /** "first", "earliest", "early on": the oldest documents on the topic are wanted. */
  earliest: boolean;
}

// Each cue is removed from the matched text with the few words that only frame it ("in the book", "my guest").
// `words`: what every match contains (see `mentions`).
const KIND_CUES: readonly { kind: DocumentKind; re: RegExp; words: readonly string[] }[] = [
  {
    kind: 'chapter',
    words: ['book', 'chapter'],
    re: /\b(?:(?:in|from|of)\s+)?(?:the|my)\s+(?:rlhf\s+)?book(?:'s|s)?\b|\b(?:book|textbook)(?:'s)?\b|\b(?:the\s+)?chapters?\b(?:\s+(?:on|about))?/gi,
  },
  {
    kind: 'interview',
    words: ['interview', 'podcast', 'episode', 'conversation', 'guest'],
    re: /\b(?:(?:in|from|on|during)\s+)?(?:the|my|an?|that)?\s*(?:interviews?|interviewed|podcasts?|episodes?|conversations?|guests?(?:'s)?)\b(?:\s+(?:on|about|with|who|where|said|say|says|said that|thought|argued))*/gi,
  },
];
const YEAR = /\b(?:(?:in|from|back in|during|around)\s+)?((?:19|20)\d{2})\b/g;
const EARLIEST = /\b(?:first|earliest|early\s+on|early)\b/gi;
const EARLIEST_WORDS = ['first', 'earl'];

/** Whether `text` has a letter or digit (any script); ASCII is tested first, sparing the Unicode regex's compiling. */
function hasLetterOrDigit(text: string): boolean {
  return /[A-Za-z0-9]/.test(text) || /[\p{L}\p{N}]/u.test(text);
}

/** The request's topic and its cues: document kind, years, and whether the earliest writing is wanted. */
export function parseQuery(query: string): QueryIntent {
  let text = queryTopic(query);
  let kind: DocumentKind | null = null;
  const lowerQuery = query.toLowerCase();
  for (const cue of KIND_CUES) {
    // Tested on the request as typed: queryTopic may already have removed "the chapter on".
    if (kind === null && mentions(lowerQuery, cue.words) && cue.re.test(query)) {
      kind = cue.kind;
      text = text.replace(cue.re, ' ');
    }
    cue.re.lastIndex = 0;
  }
  const years = mentions(text, ['19', '20']) ? [...text.matchAll(YEAR)].map((m) => Number(m[1])) : [];
  if (years.length) text = text.replace(YEAR, ' ');
  const earliest = mentions(text.toLowerCase(), EARLIEST_WORDS) && EARLIEST.test(text);
  EARLIEST.lastIndex = 0;
  if (earliest) text = text.replace(EARLIEST, ' ');
  text = queryTopic(text.replace(/^[\s,;:]+|\s+/g, ' ').trim());
  return { text: hasLetterOrDigit(text) ? text : queryTopic(query), kind, years, earliest };
}

/**
 * The words a request has to match once its framing is set aside: instruction preambles ("prior posts on", "where did
 * I say"), the kind and "first" cues, and stop words. None for a request that only says how or where to look ("the",
 * "prior posts on", "in the book"): every passage would match it as well as any other, so a search would list arbitrary
 * ones. Years stay (a bare "2023" finds passages naming it).
 */
export function topicWords(query: string): string[] {
  // The trailing space lets a preamble with nothing after it ("prior posts on") match as a whole.
  let text = withoutPreambles(`${query.trim()} `);
  for (const cue of KIND_CUES) if (mentions(text.toLowerCase(), cue.words)) text = text.replace(cue.re, ' ');
  if (mentions(text.toLowerCase(), EARLIEST_WORDS)) text = text.replace(EARLIEST, ' ');
  text = withoutPreambles(`${text.replace(/\s+/g, ' ').trim()} `);
  return wordTokens(normalizeForMatch(text).norm)
    .map((t) => t.word)
    .filter((w) => !isStopWord(w));
}

/**
 * `text` with every leading instruction preamble removed; with `leaveSome`, a preamble is kept where removing it
 * would leave nothing (queryTopic's topic is never empty), otherwise removed even then (topicWords).
 */
function withoutPreambles(text: string, leaveSome = false): string {
  let q = text.trimStart();
  for (let changed = startsLikePreamble(q); changed; ) {
    changed = false;
    for (const re of PREAMBLES) {
      const next = q.replace(re, '');
      if (next !== q && (!leaveSome || next.trim())) {
        q = next;
        changed = true;
      }
    }
  }
  return q;
}

/**
 * The speaker a request names ("where Ross Taylor said…", "what Dettmers said"): the known speaker whose full name,
 * or whose first or last name (4+ letters, capitalised in the request), appears in it; null when none or several do.
 */
export function namedSpeaker(query: string, speakers: readonly string[]): string | null {
  const lower = query.toLowerCase();
  const found = speakers.filter((s) => {
    if (lower.includes(s.toLowerCase())) return true;
    // Found first, then tested as a name: the Unicode regex is compiled only for a request that has a name part.
    return s.split(/\s+/).some((part) => hasWord(query, part) && NAME_PART.test(part));
  });
  return found.length === 1 ? (found[0] as string) : null;
}

/** A first or last name that counts alone: capitalised, 4+ letters. */
const NAME_PART = /^\p{Lu}\p{L}{3,}$/u;

/** Whether a regex's `\b` (an ASCII word character on one side only) holds before `text[i]`. */
function isBoundary(text: string, i: number): boolean {
  const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c);
  return isWordChar(text[i - 1]) !== isWordChar(text[i]);
}

/**
 * Whether `word` stands in `text` as `new RegExp(`\\b${word}\\b`, 'u')` finds it, for a word of letters only: a
 * search names no speaker mostly, and compiling such a regex per name part of every speaker cost each cold search
 * ~0.2 ms a name.
 */
function hasWord(text: string, word: string): boolean {
  if (word === '') return false;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (isBoundary(text, i) && isBoundary(text, i + word.length)) return true;
  }
  return false;
}

/** `text` without the speaker's name or its parts ("Ross Taylor", "Taylor"); unchanged if nothing would be left. */
export function withoutName(text: string, speaker: string): string {
  const parts = speaker.split(/\s+/).filter((part) => /^\p{L}{2,}$/u.test(part));
  let out = text;
  for (const part of parts) out = out.replace(new RegExp(`\\b${part}(?:'s)?\\b`, 'giu'), ' ');
  out = queryTopic(out.replace(/\s+/g, ' ').trim());
  return hasLetterOrDigit(out) ? out : text;
}
