import { UsageError } from '../core/errors.js';
import type { DocumentHeader } from '../core/types.js';

/**
 * Citation rendering. Every format carries the file and line range so a reader can check the quote;
 * missing metadata is left out rather than printed as "null".
 */

export interface CitationInput extends DocumentHeader {
  /** Source file, POSIX, relative to its root. */
  relPath: string;
  /** 1-based inclusive line range. */
  lineStart: number;
  lineEnd: number;
  /** Exact source text to show, or null for a bare reference. */
  quote: string | null;
  /** Transcript turn speaker / `hh:mm:ss`. */
  speaker?: string | null;
  timestamp?: string | null;
}

export type CitationFormat = 'markdown' | 'footnote' | 'plain' | 'json';

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

/** `posts/a.md:12-18`, or `posts/a.md:12` for a single line. */
export function formatLocation(c: Pick<CitationInput, 'relPath' | 'lineStart' | 'lineEnd'>): string {
  return c.lineEnd > c.lineStart ? `${c.relPath}:${c.lineStart}-${c.lineEnd}` : `${c.relPath}:${c.lineStart}`;
}

/** `Nathan Lambert at 00:12:34`, `Nathan Lambert`, `at 00:12:34`, or null. */
export function formatSpeaker(c: Pick<CitationInput, 'speaker' | 'timestamp'>): string | null {
  const who = c.speaker?.trim();
  const when = c.timestamp?.trim();
  if (who && when) return `${who} at ${when}`;
  if (who) return who;
  if (when) return `at ${when}`;
  return null;
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

function markdown(c: CitationInput): string {
  const title = clean(c.title);
  const url = clean(c.url);
  const parts: string[] = [];
  const who = formatSpeaker(c);
  if (who) parts.push(who);
  if (title && url) parts.push(`[${escapeLinkText(title)}](${linkDestination(url)})`);
  else if (title) parts.push(`*${title}*`);
  else if (url) parts.push(`<${url}>`);
  const date = formatDate(c.date);
  if (date) parts.push(date);
  const loc = formatLocation(c);
  const attribution = parts.length > 0 ? `${parts.join(', ')} (${loc})` : loc;
  return hasQuote(c.quote) ? `${blockquote(c.quote)}\n\n— ${attribution}` : attribution;
}

/** Joins sentence-like parts with ". " without doubling a part's own final punctuation. */
function sentences(parts: string[]): string {
  return parts.map((p, i) => (i < parts.length - 1 && !/[.!?]$/.test(p) ? `${p}.` : p)).join(' ');
}

function footnote(c: CitationInput): string {
  const key = footnoteKey(c);
  const parts: string[] = [];
  const head = [formatSpeaker(c), clean(c.title), formatDate(c.date)].filter((p): p is string => p !== null);
  if (head.length > 0) parts.push(head.join(', '));
  const url = clean(c.url);
  if (url) parts.push(url);
  parts.push(formatLocation(c));
  const def = `[^${key}]: ${sentences(parts)}`;
  return hasQuote(c.quote) ? `${blockquote(c.quote)}[^${key}]\n\n${def}` : `[^${key}]\n\n${def}`;
}

function plain(c: CitationInput): string {
  const parts = [formatSpeaker(c), clean(c.title), formatDate(c.date), clean(c.url)].filter((p): p is string => p !== null);
  const loc = formatLocation(c);
  const attribution = parts.length > 0 ? `${parts.join(', ')} (${loc})` : loc;
  // One line: whitespace (incl. line breaks) in the quote collapses to single spaces.
  const quote = c.quote === null ? '' : c.quote.replace(/\s+/g, ' ').trim();
  return quote ? `"${quote}" — ${attribution}` : attribution;
}

function json(c: CitationInput): string {
  return JSON.stringify(
    {
      docId: c.docId,
      title: clean(c.title),
      date: clean(c.date),
      dateFormatted: formatDate(c.date),
      url: clean(c.url),
      relPath: c.relPath,
      lineStart: c.lineStart,
      lineEnd: c.lineEnd,
      location: formatLocation(c),
      quote: c.quote,
      speaker: clean(c.speaker),
      timestamp: clean(c.timestamp),
    },
    null,
    2,
  );
}

/**
 * - markdown: `> quote lines` then `— [Title](url), March 5, 2024 (relPath:12-18)`
 * - footnote: `> quote[^key]` then `[^key]: Title, March 5, 2024. url. relPath:12-18`
 * - plain: `"quote" — Title, March 5, 2024, url (relPath:12-18)` on one line
 * - json: pretty-printed fields (missing values are JSON null there, by design), plus `location`
 * Transcript passages lead with `Speaker at hh:mm:ss`.
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
    default:
      throw new UsageError(`unknown citation format "${String(format)}" — use markdown, footnote, plain or json`);
  }
}
