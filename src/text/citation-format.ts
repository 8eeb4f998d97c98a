import { UsageError } from '../core/errors.js';
import type { DocumentHeader } from '../core/types.js';

/**
 * Citation rendering. Every format carries the document id and line range (`docId:12-18`, accepted by
 * `cite` and `get`) so a reader can check the quote; missing metadata is left out rather than printed as
 * "null". Quotes show `displayQuote` (clean text) when given; `quote` stays the verbatim source.
 */

export interface CitationInput extends DocumentHeader {
  /** Source file, POSIX, relative to its root. */
  relPath: string;
  /** 1-based inclusive line range. */
  lineStart: number;
  lineEnd: number;
  /** Exact source text, or null for a bare reference. */
  quote: string | null;
  /** The quote as a reader sees it (markup and escapes removed, a speaker label the citation names dropped). */
  displayQuote?: string | null;
  /** Interview speaker of the quote and the turn's `hh:mm:ss`. */
  speaker?: string | null;
  timestamp?: string | null;
  /** `guest` / `host` when the interview tells them apart. */
  role?: 'host' | 'guest' | null;
  /** Every speaker of the quote when it spans several turns. */
  speakers?: string[];
  /** Normalised document type (`post`, `interview`, `chapter`, …). */
  type?: string;
  authors?: string[];
  /** Book title of a chapter, or the publication of a post. */
  container?: string | null;
  /** Chapter label: `1`, `A` (appendix). */
  chapter?: string | null;
}

export const CITATION_FORMATS = ['markdown', 'footnote', 'plain', 'json', 'csl-json', 'bibtex'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * `2024-03-05` → `March 5, 2024`; `2024-03` → `March 2024`; `2024` → `2024`. Parsed from the
 * string, not via `Date`, so a date never shifts by a day with the local time zone.
 * Unrecognised strings come back trimmed; null/blank → null.
 */
export function formatDate(date: string | null | undefined): string | null {
  const d = date?.trim();
  if (!d) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T\s])/.exec(d);
  if (!m) return d;
  const [, y, mo, day] = m;
  const month = mo === undefined ? undefined : MONTHS[Number(mo) - 1];
  if (mo !== undefined && month === undefined) return d;
  if (month === undefined) return y ?? d;
  if (day === undefined) return `${month} ${y}`;
  const dn = Number(day);
  return dn >= 1 && dn <= 31 ? `${month} ${dn}, ${y}` : d;
}

/** `blog/posts/a.md:12-18` (the document id, as every command accepts it), or `…:12` for a single line. */
export function formatLocation(c: Pick<CitationInput, 'docId' | 'lineStart' | 'lineEnd'>): string {
  return c.lineEnd > c.lineStart ? `${c.docId}:${c.lineStart}-${c.lineEnd}` : `${c.docId}:${c.lineStart}`;
}

/** `Ross Taylor`, or `Nathan Lambert and Ross Taylor` for a quote that spans both their turns. */
function speakerNames(c: Pick<CitationInput, 'speaker' | 'speakers'>): string | null {
  const names = [...new Set([c.speaker?.trim(), ...(c.speakers ?? [])].filter((n): n is string => !!n))];
  if (names.length === 0) return null;
  return names.length === 1 ? (names[0] ?? null) : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `ch. 1` / `app. A`, or null. */
function chapterLabel(c: Pick<CitationInput, 'chapter'>): string | null {
  const ch = clean(c.chapter);
  if (!ch) return null;
  return /^\d+$/.test(ch) ? `ch. ${ch}` : `app. ${ch}`;
}

function isChapter(c: Pick<CitationInput, 'type' | 'chapter'>): boolean {
  return c.type === 'chapter' || clean(c.chapter) !== null;
}

/**
 * Where a chapter sits, for a heading beside its title: `Reinforcement Learning from Human Feedback, ch. 14` (the book
 * from the root's `--book`), or what of it is known; null for a document that is not a chapter, or says neither.
 */
export function chapterPlace(c: Pick<CitationInput, 'type' | 'chapter' | 'container'>): string | null {
  if (!isChapter(c)) return null;
  return [clean(c.container), chapterLabel(c)].filter(Boolean).join(', ') || null;
}

/** The author line: a quoted speaker, else the document's authors. */
function whoSaid(c: CitationInput): string | null {
  const speaker = speakerNames(c);
  if (speaker) return speaker;
  const authors = (c.authors ?? []).filter((a) => a.trim());
  return authors.length ? authors.join(', ') : null;
}

/**
 * A text-fragment link (`#:~:text=…`) that scrolls a browser to the quoted words: the whole quote when short,
 * else its first and last words as `start,end`. Null when there is no URL, no quote, or the URL has a fragment.
 */
export function textFragmentUrl(url: string | null, quote: string | null | undefined): string | null {
  const u = clean(url);
  if (!u) return null;
  const flat = (quote ?? '').replace(/\s+/g, ' ').trim();
  if (!flat || u.includes('#')) return u;
  // `-` and `,` are fragment syntax; `'()!*` would end a markdown link or confuse a parser.
  const enc = (t: string) => encodeURIComponent(t).replace(/[-!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  const words = flat.split(' ');
  const fragment = words.length <= 10 ? enc(flat) : `${enc(words.slice(0, 5).join(' '))},${enc(words.slice(-5).join(' '))}`;
  return `${u}#:~:text=${fragment}`;
}

function clean(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/** Quote lines with Windows line endings and trailing blank lines removed. */
function quoteLines(quote: string): string[] {
  const lines = quote.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 1 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  while (lines.length > 1 && (lines[0] as string).trim() === '') lines.shift();
  return lines;
}

function hasQuote(q: string | null): q is string {
  return q !== null && q.trim() !== '';
}

function blockquote(quote: string): string {
  return quoteLines(quote)
    .map((l) => (l.trim() === '' ? '>' : `> ${l}`))
    .join('\n');
}

function escapeLinkText(s: string): string {
  return s.replace(/([\\[\]])/g, '\\$1');
}

/** Angle brackets keep URLs with spaces or parentheses intact as a link destination. */
function linkDestination(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
}

/** Footnote label from the file name and first line: `my-post-12`. */
export function footnoteKey(c: Pick<CitationInput, 'docId' | 'relPath' | 'lineStart'>): string {
  const base = (c.docId || c.relPath).split('/').pop() ?? '';
  const slug = base
    .replace(/\.[a-z0-9]+$/i, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'source'}-${c.lineStart}`;
}

/** What a reader sees quoted: the clean form when there is one. */
function shown(c: CitationInput): string | null {
  const d = c.displayQuote;
  return d !== undefined && d !== null && d.trim() !== '' ? d : c.quote;
}

/** The work's title: `*Book*, ch. 1 "Chapter"` for chapters, else the title (italic unless linked). */
function work(c: CitationInput, style: 'markdown' | 'plain', url: string | null): string | null {
  const title = clean(c.title);
  if (isChapter(c)) {
    const book = clean(c.container);
    const ch = chapterLabel(c);
    const bookText = book ? (style === 'markdown' ? `*${escapeLinkText(book)}*` : book) : null;
    const chapterText = [ch, title ? `"${title}"` : null].filter(Boolean).join(' ');
    const text = [bookText, chapterText].filter(Boolean).join(', ');
    if (!text) return url && style === 'markdown' ? `<${url}>` : url;
    return style === 'markdown' && url ? `[${text}](${linkDestination(url)})` : text;
  }
  if (style === 'plain') return title;
  if (title && url) return `[${escapeLinkText(title)}](${linkDestination(url)})`;
  if (title) return `*${title}*`;
  return url ? `<${url}>` : null;
}

/**
 * `Ross Taylor, in [Interview](url) (Interconnects, August 8, 2024) at 00:15:07` for a speaker;
 * `Nathan Lambert, [Title](url), Interconnects, March 5, 2024` for a post;
 * `Nathan Lambert, [*Book*, ch. 1 "Introduction"](url)` for a chapter.
 */
function attribution(c: CitationInput, style: 'markdown' | 'plain', url: string | null): string {
  const w = work(c, style, url);
  const date = formatDate(c.date);
  const pub = isChapter(c) ? null : clean(c.container);
  const speaker = speakerNames(c);
  let text: string;
  if (speaker) {
    const where = [pub, date].filter(Boolean).join(', ');
    const when = clean(c.timestamp);
    text = [speaker, w ? `in ${w}${where ? ` (${where})` : ''}` : where || null].filter(Boolean).join(', ') + (when ? ` at ${when}` : '');
  } else {
    const when = clean(c.timestamp);
    text = [whoSaid(c), w, pub, isChapter(c) ? null : date, when ? `at ${when}` : null].filter(Boolean).join(', ');
  }
  const loc = formatLocation(c);
  return text ? `${text} (${loc})` : loc;
}

function markdown(c: CitationInput): string {
  const quote = shown(c);
  const url = hasQuote(quote) ? textFragmentUrl(c.url, quote) : clean(c.url);
  const attr = attribution(c, 'markdown', url);
  return hasQuote(quote) ? `${blockquote(quote)}\n\n— ${attr}` : attr;
}

/** Joins sentence-like parts with ". " without doubling a part's own final punctuation. */
function sentences(parts: string[]): string {
  return parts.map((p, i) => (i < parts.length - 1 && !/[.!?]$/.test(p) ? `${p}.` : p)).join(' ');
}

function footnote(c: CitationInput): string {
  const key = footnoteKey(c);
  const quote = shown(c);
  const parts: string[] = [];
  const head = attribution(c, 'plain', null).replace(/ \([^()]*\)$/, '');
  if (head && head !== formatLocation(c)) parts.push(head);
  const url = hasQuote(quote) ? textFragmentUrl(c.url, quote) : clean(c.url);
  if (url) parts.push(url);
  parts.push(formatLocation(c));
  const def = `[^${key}]: ${sentences(parts)}`;
  return hasQuote(quote) ? `${blockquote(quote)}[^${key}]\n\n${def}` : `[^${key}]\n\n${def}`;
}

function plain(c: CitationInput): string {
  const attr = attribution(c, 'plain', null);
  const url = clean(c.url);
  const withUrl = url ? attr.replace(/ \(([^()]*)\)$/, `, ${url} ($1)`) : attr;
  // One line: whitespace (incl. line breaks) in the quote collapses to single spaces.
  const q = shown(c);
  const quote = q === null ? '' : q.replace(/\s+/g, ' ').trim();
  return quote ? `"${quote}" — ${withUrl}` : withUrl;
}

function json(c: CitationInput): string {
  return JSON.stringify(
    {
      docId: c.docId,
      title: clean(c.title),
      date: clean(c.date),
      dateFormatted: formatDate(c.date),
      url: clean(c.url),
      fragmentUrl: hasQuote(shown(c)) ? textFragmentUrl(c.url, shown(c)) : null,
      relPath: c.relPath,
      lineStart: c.lineStart,
      lineEnd: c.lineEnd,
      location: formatLocation(c),
      quote: c.quote,
      displayQuote: shown(c),
      speaker: clean(c.speaker),
      speakers: c.speakers ?? [],
      role: c.role ?? null,
      timestamp: clean(c.timestamp),
      type: c.type ?? null,
      authors: c.authors ?? [],
      container: clean(c.container),
      chapter: clean(c.chapter),
    },
    null,
    2,
  );
}

/** `Nathan Lambert` → `{ family: 'Lambert', given: 'Nathan' }` (a one-word name is a literal). */
function cslName(name: string): Record<string, string> {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { literal: name.trim() };
  return { family: parts.at(-1) ?? '', given: parts.slice(0, -1).join(' ') };
}

function dateParts(date: string | null): number[] | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date?.trim() ?? '');
  if (!m) return null;
  return [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
}

/** CSL-JSON (Zotero, pandoc `--citeproc`): one item in an array. */
function cslJson(c: CitationInput): string {
  const parts = dateParts(c.date);
  const chapter = isChapter(c);
  const interview = !chapter && (c.type === 'interview' || !!clean(c.speaker));
  const quotedGuest = interview && clean(c.speaker) !== null && c.role !== 'host';
  const authors = quotedGuest ? [clean(c.speaker) ?? ''] : (c.authors ?? []);
  const item: Record<string, unknown> = {
    id: footnoteKey(c),
    type: chapter ? 'chapter' : interview ? 'interview' : 'post-weblog',
    title: clean(c.title) ?? undefined,
    'container-title': clean(c.container) ?? undefined,
    author: authors.length ? authors.map(cslName) : undefined,
    interviewer: quotedGuest && c.authors?.length ? c.authors.map(cslName) : undefined,
    issued: parts ? { 'date-parts': [parts] } : undefined,
    URL: clean(c.url) ?? undefined,
    'chapter-number': chapter ? (clean(c.chapter) ?? undefined) : undefined,
    locator: formatLocation(c),
    note: c.timestamp ? `at ${c.timestamp}` : undefined,
  };
  return JSON.stringify([JSON.parse(JSON.stringify(item))], null, 2);
}

/** BibTeX-safe value: special characters escaped, braces balanced. */
function bib(value: string): string {
  return value.replace(/[\\{}&%$#_^~]/g, (ch) => (ch === '\\' ? '\\textbackslash{}' : ch === '^' || ch === '~' ? `\\${ch}{}` : `\\${ch}`));
}

/** BibTeX: `@online` for posts and interviews, `@incollection` for a book chapter, `@book` for a book's unnumbered part. */
function bibtex(c: CitationInput): string {
  const chapter = isChapter(c);
  const book = clean(c.container);
  const kind = chapter ? (clean(c.chapter) && book ? 'incollection' : 'book') : 'online';
  const authors = c.role === 'guest' && clean(c.speaker) ? [clean(c.speaker) ?? ''] : (c.authors ?? []);
  const date = clean(c.date);
  const fields: [string, string | null][] = [
    ['author', authors.length ? authors.join(' and ') : null],
    ['title', kind === 'book' ? (book ?? clean(c.title)) : clean(c.title)],
    ['booktitle', kind === 'incollection' ? book : null],
    ['chapter', kind === 'incollection' ? clean(c.chapter) : null],
    ['organization', kind === 'online' ? clean(c.container) : null],
    ['date', date ? date.slice(0, 10) : null],
    ['year', date ? date.slice(0, 4) : null],
    ['url', clean(c.url)],
    ['note', [formatLocation(c), c.timestamp ? `at ${c.timestamp}` : null].filter(Boolean).join(', ')],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== null && f[1] !== '')
    .map(([k, v]) => `  ${k} = {${bib(v)}}`)
    .join(',\n');
  return `@${kind}{${footnoteKey(c)},\n${body}\n}`;
}

/**
 * - markdown: `> quote lines` then `— [Title](url#:~:text=…), March 5, 2024 (docId:12-18)`
 * - footnote: `> quote[^key]` then `[^key]: Title, March 5, 2024. url. docId:12-18`
 * - plain: `"quote" — Title, March 5, 2024, url (docId:12-18)` on one line
 * - json: pretty-printed fields (missing values are JSON null there, by design), plus `location`
 * - csl-json: one CSL item (`post-weblog`, `interview` or `chapter`) for reference managers
 * - bibtex: `@online`, `@incollection` (a book chapter) or `@book`
 * Interview quotes lead with the speaker: `Ross Taylor, in [Title](url) (Interconnects, …) at 00:15:07`.
 */
export function formatCitation(c: CitationInput, format: CitationFormat): string {
  switch (format) {
    case 'markdown':
      return markdown(c);
    case 'footnote':
      return footnote(c);
    case 'plain':
      return plain(c);
    case 'json':
      return json(c);
    case 'csl-json':
      return cslJson(c);
    case 'bibtex':
      return bibtex(c);
    default:
      throw new UsageError(`unknown citation format "${String(format)}" — use ${CITATION_FORMATS.join(', ')}`);
  }
}
