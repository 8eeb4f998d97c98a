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

/** The topic of a request: instruction preambles removed, trailing '?' dropped; the original if nothing is left. */
export function queryTopic(query: string): string {
  let q = query.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of PREAMBLES) {
      const next = q.replace(re, '');
      if (next !== q && next.trim()) {
        q = next;
        changed = true;
      }
    }
  }
  q = q.replace(/[?!.\s]+$/, '').trim();
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
const KIND_CUES: readonly { kind: DocumentKind; re: RegExp }[] = [
  {
    kind: 'chapter',
    re: /\b(?:(?:in|from|of)\s+)?(?:the|my)\s+(?:rlhf\s+)?book(?:'s|s)?\b|\b(?:book|textbook)(?:'s)?\b|\b(?:the\s+)?chapters?\b(?:\s+(?:on|about))?/gi,
  },
  {
    kind: 'interview',
    re: /\b(?:(?:in|from|on|during)\s+)?(?:the|my|an?|that)?\s*(?:interviews?|interviewed|podcasts?|episodes?|conversations?|guests?(?:'s)?)\b(?:\s+(?:on|about|with|who|where|said|say|says|said that|thought|argued))*/gi,
  },
];
const YEAR = /\b(?:(?:in|from|back in|during|around)\s+)?((?:19|20)\d{2})\b/g;
const EARLIEST = /\b(?:first|earliest|early\s+on|early)\b/gi;

/** The request's topic and its cues: document kind, years, and whether the earliest writing is wanted. */
export function parseQuery(query: string): QueryIntent {
  let text = queryTopic(query);
  let kind: DocumentKind | null = null;
  for (const cue of KIND_CUES) {
    // Tested on the request as typed: queryTopic may already have removed "the chapter on".
    if (kind === null && cue.re.test(query)) {
      kind = cue.kind;
      text = text.replace(cue.re, ' ');
    }
    cue.re.lastIndex = 0;
  }
  const years = [...text.matchAll(YEAR)].map((m) => Number(m[1]));
  if (years.length) text = text.replace(YEAR, ' ');
  const earliest = EARLIEST.test(text);
  EARLIEST.lastIndex = 0;
  if (earliest) text = text.replace(EARLIEST, ' ');
  text = queryTopic(text.replace(/^[\s,;:]+|\s+/g, ' ').trim());
  return { text: /[\p{L}\p{N}]/u.test(text) ? text : queryTopic(query), kind, years, earliest };
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
  for (const cue of KIND_CUES) text = text.replace(cue.re, ' ');
  text = withoutPreambles(`${text.replace(EARLIEST, ' ').replace(/\s+/g, ' ').trim()} `);
  return wordTokens(normalizeForMatch(text).norm)
    .map((t) => t.word)
    .filter((w) => !isStopWord(w));
}

/** `text` with every leading instruction preamble removed, even when nothing is left (unlike queryTopic). */
function withoutPreambles(text: string): string {
  let q = text.trimStart();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of PREAMBLES) {
      const next = q.replace(re, '');
      if (next !== q) {
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
  const found = speakers.filter((s) => {
    if (query.toLowerCase().includes(s.toLowerCase())) return true;
    return s
      .split(/\s+/)
      .filter((part) => /^\p{Lu}\p{L}{3,}$/u.test(part))
      .some((part) => new RegExp(`\\b${part}\\b`, 'u').test(query));
  });
  return found.length === 1 ? (found[0] as string) : null;
}

/** `text` without the speaker's name or its parts ("Ross Taylor", "Taylor"); unchanged if nothing would be left. */
export function withoutName(text: string, speaker: string): string {
  const parts = speaker.split(/\s+/).filter((part) => /^\p{L}{2,}$/u.test(part));
  let out = text;
  for (const part of parts) out = out.replace(new RegExp(`\\b${part}(?:'s)?\\b`, 'giu'), ' ');
  out = queryTopic(out.replace(/\s+/g, ' ').trim());
  return /[\p{L}\p{N}]/u.test(out) ? out : text;
}
