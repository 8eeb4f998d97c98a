/**
 * A matching form of text that keeps a map back to the original.
 *
 * Quotes reach us copied from a rendered page (curly quotes, NBSPs, no markdown) or typed from
 * memory, while the archive holds markdown source (`I\'m`, `**bold**`, `[text](url)`). Both sides
 * go through the same normalisation, and every normalised char remembers which original span
 * produced it, so a match found in normalised space becomes exact offsets into the file.
 */

export interface NormalizedText {
  /** Lower-cased, markup-free text with whitespace runs collapsed to one space. */
  norm: string;
  /** `map[i]`: original offset where the construct that produced `norm[i]` starts; `map[norm.length]` is the original length. */
  readonly map: number[];
  /** `mapEnd[i]`: original offset just past that construct (a `\'` escape spans 2, `&amp;` spans 5); `mapEnd[norm.length]` is the original length. */
  readonly mapEnd: number[];
}

/**
 * The offsets of a normalised text as segments of chars that map alike: `ns[s]` is where segment `s` starts in
 * `norm`; its chars either each stand for one original char (`oe[s] === -1`: char `d` of it is original
 * `[os[s] + d, os[s] + d + 1)`) or all stand for one construct `[os[s], oe[s])`. Plain text makes a few long
 * segments, so normalising does no per-char bookkeeping, and `map`/`mapEnd` are built only when read:
 * highlighting a cold search's passages needs a few dozen offsets, and building both arrays cost about as much as
 * the rest of normalising.
 */
interface Segments {
  ns: number[];
  os: number[];
  oe: number[];
  /** `norm.length`. */
  length: number;
  /** Original length (`map[length]` and `mapEnd[length]`). */
  total: number;
}

const SEGMENTS = new WeakMap<NormalizedText, Segments>();

/** `map[i]` (`end` false) or `mapEnd[i]` (`end` true) without building the arrays; undefined out of range like them. */
function offsetAt(seg: Segments, i: number, end: boolean): number | undefined {
  if (i === seg.length) return seg.total;
  if (!(i >= 0 && i < seg.length) || !Number.isInteger(i)) return undefined;
  let lo = 0;
  let hi = seg.ns.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((seg.ns[mid] as number) <= i) lo = mid;
    else hi = mid - 1;
  }
  const os = seg.os[lo] as number;
  const oe = seg.oe[lo] as number;
  if (oe >= 0) return end ? oe : os;
  const at = os + i - (seg.ns[lo] as number);
  return end ? at + 1 : at;
}

function withOffsets(norm: string, seg: Segments): NormalizedText {
  let map: number[] | undefined;
  let mapEnd: number[] | undefined;
  const build = (): void => {
    map = [];
    mapEnd = [];
    for (let s = 0; s < seg.ns.length; s++) {
      const os = seg.os[s] as number;
      const oe = seg.oe[s] as number;
      const from = seg.ns[s] as number;
      const to = seg.ns[s + 1] ?? seg.length;
      for (let k = from; k < to; k++) {
        map.push(oe >= 0 ? os : os + k - from);
        mapEnd.push(oe >= 0 ? oe : os + k - from + 1);
      }
    }
    map.push(seg.total);
    mapEnd.push(seg.total);
  };
  const n: NormalizedText = {
    norm,
    get map(): number[] {
      if (map === undefined) build();
      return map as number[];
    },
    get mapEnd(): number[] {
      if (mapEnd === undefined) build();
      return mapEnd as number[];
    },
  };
  SEGMENTS.set(n, seg);
  return n;
}

/** Original `[start, end)` for the normalised range `[ns, ne)` (ne > ns). */
export function toOriginalSpan(n: NormalizedText, ns: number, ne: number): { start: number; end: number } {
  const seg = SEGMENTS.get(n);
  if (seg === undefined) return { start: n.map[ns] ?? 0, end: n.mapEnd[ne - 1] ?? 0 };
  return { start: offsetAt(seg, ns, false) ?? 0, end: offsetAt(seg, ne - 1, true) ?? 0 };
}

const QUOTE_MARKS = new Set([
  '"',
  "'",
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '\u201C',
  '\u201D',
  '\u201E',
  '\u201F',
  '\u2032',
  '\u2033',
  '\u00AB',
  '\u00BB',
  '\u2039',
  '\u203A',
  '\u02BC',
  '\uFF02',
  '\uFF07',
]);
const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D']);
/** Invisible chars that only break matching. */
const ZERO_WIDTH = new Set(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']);
const ASCII_PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
/** Entities that survive HTML→markdown exports often enough to matter. */
const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&quot;': "'",
  '&apos;': "'",
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&mdash;': '-',
  '&ndash;': '-',
  '&hellip;': '...',
  '&rsquo;': "'",
  '&lsquo;': "'",
  '&rdquo;': "'",
  '&ldquo;': "'",
  '&#x27;': "'",
  '&#8217;': "'",
  '&#8216;': "'",
  '&#8220;': "'",
  '&#8221;': "'",
  '&#8212;': '-',
  '&#8211;': '-',
  '&#160;': ' ',
  '&#xa0;': ' ',
};
/** ASCII chars with no special meaning here (1) — everything else takes the slow path. */
const PLAIN_ASCII = (() => {
  const t = new Uint8Array(128);
  for (let c = 33; c < 127; c++) t[c] = 1;
  for (const ch of '"\\*_~`![&') t[ch.charCodeAt(0)] = 0;
  return t;
})();
/** A run of `PLAIN_ASCII` chars other than `-`, with single spaces inside: it maps to itself char by char. */
const PLAIN_RUN = /[#-%'-)+,.-Z\]^a-}]+(?: [#-%'-)+,.-Z\]^a-}]+)*/y;
const MAX_LINK_TEXT = 1000;
const DASH = 45;
const SPACE = 32;
const MAX_LINK_DEST = 2000;

export function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * The runs of letters and digits in `text`, any script: words with markup, punctuation and escapes fallen away. One
 * regex for every caller, so a process compiles it once (a Unicode-property regex costs ~0.3 ms to compile); written
 * in the function rather than made at load, which would cost its parse in every command that loads this module.
 */
export function letterDigitRuns(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
export function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined || ch === '') return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD_CHAR.test(ch);
}

/** True at the start/end of text or next to whitespace (emphasis flanking rule). */
function isSpaceOrEdge(text: string, i: number): boolean {
  return i < 0 || i >= text.length || isSpaceCode(text.charCodeAt(i));
}

/**
 * `[text](dest)`, `[text][ref]` starting at `text[i] === '['`: where the text closes and where
 * scanning resumes after the destination. Null when it is not a cheap, well-formed link.
 */
function matchLink(text: string, i: number): { close: number; resume: number } | null {
  let depth = 1;
  let j = i + 1;
  const limit = Math.min(text.length, i + MAX_LINK_TEXT);
  for (; j < limit; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) break;
    else if (ch === '\n' && text[j + 1] === '\n') return null;
  }
  if (j >= limit) return null;
  const open = text[j + 1];
  if (open !== '(' && open !== '[') return null;
  const closeCh = open === '(' ? ')' : ']';
  let k = j + 2;
  let pd = 1;
  const destLimit = Math.min(text.length, k + MAX_LINK_DEST);
  for (; k < destLimit; k++) {
    const ch = text[k];
    if (ch === '\n') return null;
    if (ch === '\\') k++;
    else if (ch === open && open === '(') pd++;
    else if (ch === closeCh && --pd === 0) break;
  }
  if (k >= destLimit) return null;
  return { close: j, resume: k + 1 };
}

/** Footnote reference `[^label]`: the rendered page shows only a superscript, so drop it. */
function matchFootnoteRef(text: string, i: number): number {
  if (text[i + 1] !== '^') return -1;
  for (let j = i + 2; j < Math.min(text.length, i + 64); j++) {
    const ch = text[j];
    if (ch === ']') return j > i + 2 ? j + 1 : -1;
    if (ch === undefined || isSpaceCode(ch.charCodeAt(0)) || ch === '[') return -1;
  }
  return -1;
}

/** Length of a block marker at a line start (`> `, `# `, `- `/`* `/`+ `), 0 when none. */
function lineMarkerLength(text: string, i: number): number {
  const ch = text[i];
  if (ch === '>') return text[i + 1] === ' ' ? 2 : 1;
  if (ch === '#') {
    let j = i;
    while (text[j] === '#' && j - i < 6) j++;
    return isSpaceOrEdge(text, j) ? j - i + (text[j] === ' ' ? 1 : 0) : 0;
  }
  if ((ch === '-' || ch === '*' || ch === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) return 2;
  return 0;
}

/** Matching form of one plain char (not markup). */
function foldChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 128) {
    if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
    if (c === 34) return "'";
    return ch;
  }
  if (QUOTE_MARKS.has(ch)) return "'";
  if (DASHES.has(ch)) return '-';
  if (ch === '\u2026') return '...';
  // Case-fold, then drop combining marks so NFC/NFD spellings and accents typed or not agree.
  return ch.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * Case-folded, markup-free matching form of `text` with an offset map.
 *
 * - whitespace runs (incl. NBSP, thin/ideographic spaces, line breaks) → one space; leading/trailing dropped
 * - curly/straight single and double quotes, primes, guillemets → `'`
 * - en/em dashes, minus → `-`; runs of dashes collapse and spaces around a dash are dropped
 *   (so `a -- b`, `a—b`, `a — b` all read `a-b`)
 * - `…` → `...`; accents removed; zero-width chars and soft hyphens removed
 * - markdown: backslash escapes lose the backslash, emphasis `*`/`_`/`~~` and backticks removed,
 *   `[text](url)`/`[text][ref]` → text, images and `[^n]` footnote refs removed, line-start
 *   `>`, `#`, and `-`/`*`/`+` bullets removed; a few HTML entities decoded
 */
export function normalizeForMatch(text: string): NormalizedText {
  // Slow-path chars go in as char codes (per-char `+=` dominated the cost) and are flushed into `parts` before each
  // plain run, which goes in as one lower-cased slice.
  const parts: string[] = [];
  const out: number[] = [];
  const flush = (): void => {
    for (let k = 0; k < out.length; k += 8192) parts.push(String.fromCharCode(...out.slice(k, k + 8192)));
    out.length = 0;
  };
  const seg: Segments = { ns: [], os: [], oe: [], length: 0, total: text.length };
  /** One more char of `norm` stands for original `[start, end)`: it extends the last segment when that maps alike. */
  const addChar = (start: number, end: number): void => {
    const s = seg.ns.length - 1;
    if (s >= 0) {
      const os = seg.os[s] as number;
      const oe = seg.oe[s] as number;
      if (oe < 0 ? end === start + 1 && os + seg.length - (seg.ns[s] as number) === start : os === start && oe === end) {
        seg.length++;
        return;
      }
    }
    seg.ns.push(seg.length);
    seg.os.push(start);
    seg.oe.push(end === start + 1 ? -1 : end);
    seg.length++;
  };
  /** The last char of `norm` now stands for a construct ending at `end` (a dash run grew). */
  const extendLast = (end: number): void => {
    const s = seg.ns.length - 1;
    const d = seg.length - 1 - (seg.ns[s] as number);
    const start = (seg.oe[s] as number) < 0 ? (seg.os[s] as number) + d : (seg.os[s] as number);
    if (d === 0) seg.oe[s] = end;
    else {
      seg.ns.push(seg.length - 1);
      seg.os.push(start);
      seg.oe.push(end);
    }
  };
  let last = 0;
  let spaceStart = -1;
  let spaceEnd = -1;
  let lineStart = true;
  const links: Array<{ close: number; resume: number }> = [];

  const emitCode = (code: number, start: number, end: number): void => {
    if (code === DASH) {
      if (last === DASH) {
        extendLast(end);
        spaceStart = -1;
        return;
      }
    } else if (spaceStart >= 0 && seg.length > 0) {
      out.push(SPACE);
      addChar(spaceStart, spaceEnd);
    }
    spaceStart = -1;
    out.push(code);
    addChar(start, end);
    last = code;
  };
  const emit = (s: string, start: number, end: number): void => {
    for (let k = 0; k < s.length; k++) emitCode(s.charCodeAt(k), start, end);
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    // Length check first: reading past an array's end is a slow path in V8.
    while (links.length > 0 && i >= (links[links.length - 1] as { close: number }).close) {
      const top = links.pop() as { close: number; resume: number };
      if (i === top.close) i = top.resume;
    }
    if (i >= n) break;
    const c = text.charCodeAt(i);
    // Hot path: most text is runs of plain ASCII words and single spaces that map to themselves (lower-cased), so
    // a run goes in as one slice found by a native regex rather than char by char (a cold search's highlighting
    // spent most of its time here). Dashes stay out of runs: they collapse and swallow the spaces around them.
    if (c < 128 && !lineStart && PLAIN_ASCII[c] === 1 && c !== DASH) {
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      let j = PLAIN_RUN.lastIndex;
      // A link's text ends at its `]`, where scanning jumps past the destination; spaces before that jump stay
      // pending (dropped at the end, or before a dash), so the slow path takes them.
      const close = links.length > 0 ? (links[links.length - 1] as { close: number }).close : n;
      if (j > close) {
        j = close;
        while (text.charCodeAt(j - 1) === SPACE) j--;
      }
      if (spaceStart >= 0 && seg.length > 0) {
        out.push(SPACE);
        addChar(spaceStart, spaceEnd);
      }
      spaceStart = -1;
      flush();
      parts.push(text.slice(i, j).toLowerCase());
      // The run's chars stand for themselves: one segment (or the growth of the last one), not one entry per char.
      addChar(i, i + 1);
      seg.length += j - i - 1;
      last = text.charCodeAt(j - 1);
      i = j;
      continue;
    }
    const ch = text[i] as string;

    if (isSpaceCode(c)) {
      if (last !== DASH) {
        if (spaceStart < 0) spaceStart = i;
        spaceEnd = i + 1;
      }
      if (c === 10) lineStart = true;
      i++;
      continue;
    }
    if (ZERO_WIDTH.has(ch)) {
      i++;
      continue;
    }
    if (lineStart) {
      const m = lineMarkerLength(text, i);
      // `>` can nest (`> > x`), so stay at "line start" after it.
      if (m > 0) {
        lineStart = ch === '>';
        i += m;
        continue;
      }
      lineStart = false;
    }

    if (ch === '\\') {
      const next = text[i + 1];
      if (next !== undefined && ASCII_PUNCT.has(next)) {
        emit(next === '"' || next === "'" ? "'" : next, i, i + 2);
        i += 2;
        continue;
      }
      if (next === '\n') {
        i++; // hard line break marker
        continue;
      }
    }

    if (ch === '*' || ch === '_' || ch === '~' || ch === '`') {
      let j = i;
      while (text[j] === ch) j++;
      const bothSpace = isSpaceOrEdge(text, i - 1) && isSpaceOrEdge(text, j);
      let markup: boolean;
      if (ch === '`') markup = true;
      else if (ch === '~') markup = j - i >= 2 && !bothSpace;
      else if (ch === '_') markup = !bothSpace && !(isWordChar(text[i - 1]) && isWordChar(text[j]));
      else markup = !bothSpace;
      if (markup) {
        i = j;
        continue;
      }
      for (let k = i; k < j; k++) emit(ch, k, k + 1);
      i = j;
      continue;
    }

    if (ch === '!' && text[i + 1] === '[') {
      const img = matchLink(text, i + 1);
      if (img && text[img.close + 1] === '(') {
        i = img.resume;
        continue;
      }
    }
    if (ch === '[') {
      const fn = matchFootnoteRef(text, i);
      if (fn > 0) {
        i = fn;
        continue;
      }
      const link = matchLink(text, i);
      if (link) {
        links.push(link);
        i++;
        continue;
      }
    }
    if (ch === '&') {
      const semi = text.indexOf(';', i);
      if (semi > i && semi - i <= 8) {
        const rep = ENTITIES[text.slice(i, semi + 1).toLowerCase()];
        if (rep !== undefined) {
          if (rep === ' ') {
            if (last !== DASH) {
              if (spaceStart < 0) spaceStart = i;
              spaceEnd = semi + 1;
            }
          } else emit(rep, i, semi + 1);
          i = semi + 1;
          continue;
        }
      }
    }

    // Keep surrogate pairs together so an emoji maps to both of its code units.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    const folded = foldChar(width === 2 ? text.slice(i, i + 2) : ch);
    emit(folded, i, i + width);
    i += width;
  }
  flush();
  return withOffsets(parts.join(''), seg);
}

// ---------------------------------------------------------------------------------------------
// Word-level helpers shared by quote matching, highlighting and dedupe.

/** Function words that carry no topic; negations are kept on purpose (they flip a quote's meaning). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being ' +
    'below between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just let me more most my ' +
    'myself of off on once only or other ought our ours ourselves out over own same she should so some such than ' +
    'that the their theirs them themselves then there these they this those through to too under until up upon ' +
    'us very was we were what when where which while who whom why will with would you your yours yourself ' +
    'yourselves im ive id youre youve youd youll hes shes weve theyre theyve theyd ' +
    'thats theres whats whos lets dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt ' +
    'hasnt havent hadnt s t d ll m re ve'
  ).split(' '),
);

const VOWEL = /[aeiouy]/;

/** Drop a doubled final consonant left by suffix stripping (`running` → `run`), Porter-style. */
function undouble(w: string): string {
  const a = w[w.length - 1];
  if (w.length > 2 && a === w[w.length - 2] && a !== undefined && !'aeiouylsz'.includes(a)) return w.slice(0, -1);
  return w;
}

/**
 * Light English stemmer: possessive, plural, -ing/-ed, -ly, final -e. Deliberately cheap and a
 * little aggressive — it only has to map inflections of one word to the same key, not produce words.
 */
export function stem(word: string): string {
  let cached = stemCache.get(word);
  if (cached === undefined) {
    cached = stemUncached(word);
    // Vocabulary is bounded in practice; the cap only guards a pathological stream of unique tokens.
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, cached);
  }
  return cached;
}

const STEM_CACHE_MAX = 50_000;
const stemCache = new Map<string, string>();

function stemUncached(word: string): string {
  let w = word.toLowerCase();
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.includes("'")) w = w.replace(/'/g, '');
  if (w.length <= 3) return w;
  if ((w.endsWith('ies') || w.endsWith('ied')) && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

export interface WordToken {
  /** The word as it appears in `norm` (lower-cased). */
  word: string;
  /** `[ns, ne)` in normalised space. */
  ns: number;
  ne: number;
}

/** An ASCII word with inner apostrophes: what the char loop below finds when the text is all ASCII. */
const ASCII_WORD = /[0-9A-Za-z]+(?:'[0-9A-Za-z]+)*/g;
const NON_ASCII = /[^\0-\x7f]/;

/** Words (letters/digits, inner apostrophes kept) of an already normalised string. */
export function wordTokens(norm: string): WordToken[] {
  const out: WordToken[] = [];
  // Most passages are ASCII once normalised: a native regex then finds the same words without a JS call per char
  // (a cold process runs that loop interpreted).
  if (!NON_ASCII.test(norm)) {
    ASCII_WORD.lastIndex = 0;
    for (let m = ASCII_WORD.exec(norm); m !== null; m = ASCII_WORD.exec(norm)) {
      out.push({ word: m[0], ns: m.index, ne: m.index + m[0].length });
    }
    return out;
  }
  const n = norm.length;
  let i = 0;
  while (i < n) {
    if (!isWordAt(norm, i)) {
      i++;
      continue;
    }
    const ns = i;
    for (;;) {
      while (i < n && isWordAt(norm, i)) i++;
      // An apostrophe between letters stays inside the word (`don't`).
      if (norm.charCodeAt(i) === 39 && i + 1 < n && isWordAt(norm, i + 1)) i++;
      else break;
    }
    out.push({ word: norm.slice(ns, i), ns, ne: i });
  }
  return out;
}

/** `isWordChar` by index, with the ASCII case inline (this runs once per char of every passage). */
function isWordAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c >= 0xd800 && c <= 0xdbff) return WORD_CHAR.test(s.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return i > 0 && isWordAt(s, i - 1);
  return WORD_CHAR.test(s[i] as string);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.includes("'") ? word.replace(/'/g, '') : word);
}
