/**
 * Links in a document's text, and the one form of a URL that resolution compares. Pure text work: which links
 * point at the author's own documents is decided later, against what the index holds (index/link-graph.ts).
 */

/** One link as written in a document: its target, the 1-based source line it is on, and its text if any. */
export interface LinkMark {
  /** The target as written: an absolute http(s) URL, a site-relative path (`/p/slug`) or a relative file path. */
  url: string;
  line: number;
  /** The link text of a markdown link (`[text](url)`), null for a bare URL. */
  text: string | null;
}

/** Links kept per document: bounds what one hostile file can store (a real post has a few hundred at most). */
export const MAX_LINKS_PER_DOCUMENT = 5_000;
const MAX_LINK_TEXT = 200;
const MAX_URL = 2_000;

/**
 * A markdown link or image (`[text](target "title")`, the target optionally in `<…>`), an autolink
 * (`<https://…>`) or a bare URL. A bare URL ends at whitespace, quotes, brackets and backslashes: exports escape
 * the quotes of embedded JSON (`canonical_url\":\"https://…\"`), and a URL written there is a link too.
 */
const LINK =
  /(!?)\[((?:[^[\]\n]|\[[^[\]\n]*\]){0,500})\]\(\s*(?:<([^>\n]{1,2000})>|([^\s()]{1,2000}(?:\([^\s()]{0,200}\)[^\s()]{0,200})*))(?:\s+(?:"[^"\n]{0,500}"|'[^'\n]{0,500}'))?\s*\)|<(https?:\/\/[^>\s]{1,2000})>|(https?:\/\/[^\s<>"'\\[\]{}|^`]{1,2000})/gi;

/** Trailing punctuation of a bare URL in prose ("see https://x.com/a."), and a `)` that opened outside it. */
function trimBareUrl(url: string): string {
  let u = url.replace(/[.,;:!?*_~]+$/, '');
  while (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1).replace(/[.,;:!?*_~]+$/, '');
  return u;
}

/** Targets that can never be a document: in-page anchors, mail, phone, data and script URLs. */
const NOT_A_DOCUMENT = /^(?:#|mailto:|tel:|data:|javascript:|ftp:)/i;

/** A link with where it is: `[start, end)` in the text it was found in. */
export interface LinkSpan {
  url: string;
  /** The link text of a markdown link, null for an autolink or a bare URL. */
  text: string | null;
  start: number;
  end: number;
}

/**
 * Every link of `source` from offset `from` on that could point at a document, in order, with its offsets;
 * images are left out. At most MAX_LINKS_PER_DOCUMENT. Ingest stores them by line (`extractLinks`); the draft
 * checker needs the offsets to put a footnote after a link.
 */
export function linkSpans(source: string, from = 0): LinkSpan[] {
  const out: LinkSpan[] = [];
  LINK.lastIndex = from;
  for (let m = LINK.exec(source); m !== null; m = LINK.exec(source)) {
    if (out.length >= MAX_LINKS_PER_DOCUMENT) break;
    const [whole, bang, text, angled, plain, autolink, bare] = m;
    let url: string | undefined;
    let label: string | null = null;
    let end = m.index + whole.length;
    if (bare !== undefined) {
      url = trimBareUrl(bare);
      end = m.index + url.length;
    } else if (autolink !== undefined) url = autolink;
    else {
      if (bang === '!') continue;
      url = angled ?? plain;
      label = (text ?? '').trim().slice(0, MAX_LINK_TEXT) || null;
    }
    if (!url || url.length > MAX_URL || NOT_A_DOCUMENT.test(url)) continue;
    out.push({ url, text: label, start: m.index, end });
  }
  LINK.lastIndex = 0;
  return out;
}

/**
 * Every link of `source` from offset `from` on (the body, after front matter) that could point at a document, in
 * order; images are left out. Lines count from `lineBase` at offset 0.
 */
export function extractLinks(source: string, lineBase = 1, from = 0): LinkMark[] {
  let line = lineBase;
  let scanned = 0;
  return linkSpans(source, from).map(({ url, text, start }) => {
    for (let i = source.indexOf('\n', scanned); i !== -1 && i < start; i = source.indexOf('\n', i + 1)) line++;
    scanned = start;
    return { url, line, text };
  });
}

/** A URL parsed leniently: scheme-less `www.x.com/p/a` and `//x.com/p/a` are read as https. */
function parseUrl(url: string): URL | null {
  const u = url.trim();
  const candidate = /^https?:\/\//i.test(u)
    ? u
    : u.startsWith('//')
      ? `https:${u}`
      : /^www\.[^/\s]+\.[^/\s]+/i.test(u)
        ? `https://${u}`
        : null;
  if (!candidate) return null;
  try {
    return new URL(candidate);
  } catch {
    return null;
  }
}

/**
 * The form two URLs of one page share: host without `www.`, path without a trailing slash, percent-decoded;
 * scheme, port, query (`?utm_source=…`) and fragment dropped. `https://www.x.ai/p/a/?s=1#h` → `x.ai/p/a`.
 * Null when it is not an absolute http(s) URL.
 */
export function urlKey(url: string): string | null {
  const u = parseUrl(url);
  if (!u) return null;
  let p = u.pathname;
  try {
    p = decodeURI(p);
  } catch {
    // A malformed escape stays as written.
  }
  p = p.replace(/\/+$/, '');
  return `${u.hostname.toLowerCase().replace(/^www\./, '')}${p}`;
}

/** `key`'s path segments (what follows the host), e.g. `x.ai/p/a` → `['p', 'a']`. */
export function keySegments(key: string): string[] {
  return key.split('/').slice(1).filter(Boolean);
}

/**
 * The path shape a URL template produces, as a test on a key's segments: `https://x.ai/p/{slug}` →
 * `x.ai` with segments `p`, then anything. Placeholders match one segment (or several, for `{path}`).
 */
export function templateShape(template: string): { host: string; test: (segments: readonly string[]) => boolean } | null {
  const probe = template.replace(/\{(\w+)\}/g, 'PLACEHOLDER$1');
  const key = urlKey(probe);
  if (!key) return null;
  const host = key.split('/')[0] ?? '';
  const pattern = keySegments(key)
    .map((seg) =>
      seg
        .split(/(PLACEHOLDER\w+)/)
        .map((part) =>
          part === 'PLACEHOLDERpath' ? '.+' : part.startsWith('PLACEHOLDER') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join(''),
    )
    .join('/');
  const re = new RegExp(`^${pattern}$`, 'i');
  return { host, test: (segments) => segments.length > 0 && re.test(segments.join('/')) };
}
