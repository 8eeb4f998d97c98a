import type { Root, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Plugin } from 'unified';
import type { Block, BlockKind } from '../core/types.js';
import { lineAt, lineStarts, paragraphBlocks } from '../text/lines.js';

/** One open heading: its level and cleaned text. */
export interface HeadingFrame {
  depth: number;
  text: string;
}

export interface MarkdownBlocks {
  blocks: Block[];
  /** Heading stack after the last block (a transcript that follows continues from it). */
  headings: HeadingFrame[];
  firstHeading: string | null;
  /** Parts indexed as plain paragraphs instead (too deeply nested, or over the time budget): where and why. */
  notes: { line: number; message: string }[];
}

/**
 * remark's cost grows with the cube of container nesting (1,000 nested list levels: 51 s; 2,000: 13 min and
 * 1.8 GB for one 4 MB file). Real writing nests a handful of levels; a piece nested deeper than this is not
 * handed to remark but indexed as plain paragraphs.
 */
export const MAX_NESTING = 32;
/**
 * Once parsing one file has taken this long, its remaining structured parts are indexed as plain paragraphs:
 * the bound on a file's parse time is this plus one run of pieces (at most MAX_RUN_CHARS).
 */
export const PARSE_BUDGET_MS = 5_000;
/** Consecutive structured pieces go to remark together up to this size, so the budget is checked often. */
const MAX_RUN_CHARS = 256 * 1024;
/**
 * remark is quadratic on some block sequences without a blank line (5,000 setext headings: 12 s, 10,000: 70 s)
 * and builds a node per table cell (a 5,000-column table ran out of memory); the largest such piece in the real
 * archive is 6 KB. A bigger one is indexed as plain paragraphs.
 */
export const MAX_PIECE_CHARS = 32 * 1024;

/**
 * Inline constructs switched off: blocks need only the document (flow) structure, which
 * CommonMark fixes before inline parsing, so turning these off cannot change block
 * boundaries — it halves parse time on the archive (remark is ~1 MB/s with inlines).
 */
const INLINE_CONSTRUCTS = [
  'attention',
  'autolink',
  'characterEscape',
  'characterReference',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelEnd',
  'labelStartImage',
  'labelStartLink',
  'wwwAutolink',
  'protocolAutolink',
  'emailAutolink',
  'gfmFootnoteCall',
  'gfmPotentialFootnoteCall',
  'strikethrough',
  'tasklistCheck',
];

const blockStructureOnly: Plugin<[], string, Root> = function () {
  const data = this.data();
  (data.micromarkExtensions ??= []).push({ disable: { null: INLINE_CONSTRUCTS } });
};

const plain = unified().use(remarkParse).use(blockStructureOnly).freeze();
const gfm = unified().use(remarkParse).use(remarkGfm).use(blockStructureOnly).freeze();

/**
 * GFM only changes block structure through tables (a delimiter row) and footnote
 * definitions; its table tokenizer costs ~40% of parse time, so it runs only when the text
 * has one of those.
 */
const GFM_TABLE_ROW = /^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$/m;
const GFM_FOOTNOTE_DEF = /^ {0,3}\[\^[^\]\n]+\]:/m;

function parseTree(text: string): Root {
  const needsGfm = GFM_TABLE_ROW.test(text) || GFM_FOOTNOTE_DEF.test(text);
  return (needsGfm ? gfm : plain).parse(text);
}

/**
 * Top-level mdast nodes of `source[from, to)` as blocks with offsets into `source`.
 * `stack` is the heading context inherited from before `from`.
 */
export function markdownBlocks(
  source: string,
  from: number,
  to: number,
  stack: readonly HeadingFrame[] = [],
  options: { wholeParse?: boolean; budgetMs?: number } = {},
): MarkdownBlocks {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? PARSE_BUDGET_MS;
  const notes: MarkdownBlocks['notes'] = [];
  let starts: number[] | null = null;
  const fileLine = (offset: number) => lineAt((starts ??= lineStarts(source)), offset + from);
  const text = source.slice(from, to);
  const chrome = chromeRanges(text);
  const headings = [...stack];
  let path = headings.map((h) => h.text);
  let firstHeading: string | null = null;
  const blocks: Block[] = [];
  let c = 0;
  const visit = (kind: BlockKind, nodeStart: number, nodeEnd: number, depth: number) => {
    const [s, e] =
      kind === 'heading' || kind === 'code' || kind === 'table'
        ? trimWhitespace(text, nodeStart, nodeEnd)
        : trimFenceLines(text, nodeStart, nodeEnd);
    if (s >= e) return;
    while (c < chrome.length && (chrome[c]?.[1] ?? 0) <= s) c++;
    const range = chrome[c];
    // Embed widgets (YouTube "An error occurred." etc.) are not the author's text.
    if (range && range[0] <= s) return;
    const raw = text.slice(s, e);
    if (kind === 'heading') {
      const title = headingText(raw);
      if (!title) return;
      firstHeading ??= title;
      while (headings.length > 0 && (headings[headings.length - 1]?.depth ?? 0) >= depth) headings.pop();
      headings.push({ depth, text: title });
      path = headings.map((h) => h.text);
    } else if (kind !== 'code' && kind !== 'table' && isNoiseText(raw)) {
      return;
    }
    blocks.push({ kind, start: s + from, end: e + from, headingPath: path, speaker: null, timestamp: null });
  };
  // `wholeParse` (tests): one remark parse of the whole text, to check the piecewise path against.
  const pieces = options.wholeParse ? [{ start: 0, end: text.length, simple: false }] : splitPieces(text);
  // Consecutive non-simple pieces go to remark together: each parse call has a fixed setup cost.
  let runStart = -1;
  let runEnd = -1;
  let overBudget = false;
  const asParagraphs = (start: number, end: number) => {
    for (const b of paragraphBlocks(text, start, end)) visit('paragraph', b.start, b.end, 0);
  };
  const flush = () => {
    if (runStart === -1) return;
    if (!overBudget && performance.now() - started > budgetMs) {
      overBudget = true;
      notes.push({
        line: fileLine(runStart),
        message: `markdown parsing took over ${budgetMs / 1000} s; the rest is indexed as plain paragraphs`,
      });
    }
    if (overBudget) {
      asParagraphs(runStart, runEnd);
      runStart = -1;
      return;
    }
    const tree = parseTree(text.slice(runStart, runEnd));
    for (const node of tree.children) {
      const pos = node.position;
      if (!pos || pos.start.offset === undefined || pos.end.offset === undefined) continue;
      visit(blockKind(node), pos.start.offset + runStart, pos.end.offset + runStart, node.type === 'heading' ? node.depth : 0);
    }
    runStart = -1;
  };
  for (const piece of pieces) {
    if (piece.simple) {
      flush();
      visit('paragraph', piece.start, piece.end, 0);
    } else if (piece.heading !== undefined) {
      flush();
      visit('heading', piece.start, piece.end, piece.heading);
    } else if (piece.whole !== undefined) {
      flush();
      visit(piece.whole, piece.start, piece.end, 0);
    } else if (piece.deepLine !== undefined) {
      flush();
      notes.push({
        line: fileLine(piece.deepLine),
        message: `lists or quotes nest more than ${MAX_NESTING} levels deep; indexed as plain paragraphs`,
      });
      asParagraphs(piece.start, piece.end);
    } else if (piece.end - piece.start > MAX_PIECE_CHARS && !options.wholeParse) {
      flush();
      notes.push({
        line: fileLine(piece.start),
        message: `${Math.ceil((piece.end - piece.start) / 1024)} KB of structured markdown without a blank line to split it (over ${MAX_PIECE_CHARS / 1024} KB); indexed as plain paragraphs`,
      });
      asParagraphs(piece.start, piece.end);
    } else {
      if (runStart !== -1 && piece.end - runStart > MAX_RUN_CHARS) flush();
      if (runStart === -1) runStart = piece.start;
      runEnd = piece.end;
    }
  }
  flush();
  return { blocks, headings, firstHeading, notes };
}

interface Piece {
  start: number;
  end: number;
  /** Certainly one plain paragraph: no blank line, no line that could start or interrupt another block. */
  simple: boolean;
  /** A list item starts in this piece, so a following item may continue its list. */
  list?: boolean;
  /** The piece is one ATX heading line of this depth. */
  heading?: number;
  /** Every line is an unindented item of one list (`-   item`, `1. item`), or every line a `>` quote line. */
  whole?: 'list' | 'blockquote' | undefined;
  /** List marker kind of the first item: `-`, `*`, `+`, or `.`/`)` for ordered lists. */
  marker?: string;
  /** Offset of the first line nested deeper than MAX_NESTING, if any. */
  deepLine?: number;
}

const NESTING_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * Container levels a line continues or opens, read from its prefix: each `>` and list marker is one, and
 * so are every two columns of indentation (list content is indented at least two). An estimate, only
 * used to keep pathological nesting away from remark.
 */
export function nestingDepth(line: string): number {
  let depth = 0;
  let columns = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      columns += c === 9 ? 4 : 1;
      i++;
      continue;
    }
    const marker = c === 62 ? '>' : NESTING_MARKER.exec(line.slice(i, i + 11))?.[0];
    if (marker === undefined) break;
    depth++;
    i += marker.length;
    // The one space after a marker belongs to it, not to the indentation.
    if (line.charCodeAt(i) === 32) i++;
  }
  return depth + (columns >> 1);
}

/** An item of the same list: same bullet, or same ordered delimiter; a thematic break (`- - -`) ends a list. */
function sameListItem(line: string, marker: string | undefined): boolean {
  const m = ITEM_LINE.exec(line);
  return m !== null && markerKind(m[1] ?? '') === marker && !THEMATIC_BREAK.test(line);
}

function markerKind(marker: string): string {
  return /\d/.test(marker) ? marker.slice(-1) : marker;
}

/** A line that could open a block or continue one other than a paragraph (checked after ≤3 spaces of indent). */
const UNSAFE_LINE =
  /^(?:#{1,6}(?:[ \t]|$)|[>`~<|\t]|[*+-](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^|\[[^\]]*\]:|[=-]+[ \t]*$|([*_-])(?:[ \t]*\1){2,}[ \t]*$)/;
const ITEM_LINE = /^([-*+]|\d{1,9}[.)])[ \t]+\S/;
const QUOTE_LINE = /^ {0,3}>/;
const THEMATIC_BREAK = /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/;
const ATX_LINE = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const LIST_START = /^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/;
const FENCE_OPEN = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;
const HTML_RAW_OPEN: readonly [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

/**
 * Cut the text into independent pieces and mark the plain paragraphs, which need no parser.
 *
 * Why: remark runs at ~1–2 MB/s here, too slow for a whole archive; most of the text is plain
 * paragraphs. A cut is made only where CommonMark guarantees every open block has ended: at a
 * blank line followed by an unindented line that is not a list item (so loose lists stay whole), outside fenced code and outside raw HTML blocks that run over blank lines
 * (`<!--`, `<pre>`, …). Each piece then parses the same alone as within the whole text; pieces
 * that are not plain paragraphs go to remark.
 */
function splitPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let piece: Piece | null = null;
  let blankBefore = false;
  let fence: string | null = null;
  let htmlEnd: RegExp | null = null;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    const next = lineEnd + 1;
    if (fence !== null || htmlEnd !== null) {
      if (fence !== null && isFenceClose(line, fence)) fence = null;
      else if (htmlEnd?.test(line)) htmlEnd = null;
      if (piece) piece.end = lineEnd;
      pos = next;
      continue;
    }
    if (line.trim() === '') {
      blankBefore = true;
      pos = next;
      continue;
    }
    const indent = leadingSpaces(line);
    // Only an unindented line can follow a blank line without continuing a list item.
    const unindented = indent === 0 && line.charCodeAt(0) !== 9;
    const listItem = LIST_START.test(line);
    if (!piece || (blankBefore && unindented && !(listItem && piece.list === true))) {
      piece = { start: pos, end: lineEnd, simple: indent <= 3 };
      const atx = ATX_LINE.exec(line);
      if (atx) piece.heading = atx[1]?.length ?? 1;
      const item = unindented ? ITEM_LINE.exec(line) : null;
      if (item && !THEMATIC_BREAK.test(line)) {
        piece.whole = 'list';
        piece.marker = markerKind(item[1] ?? '');
      } else if (QUOTE_LINE.test(line)) {
        piece.whole = 'blockquote';
      }
      pieces.push(piece);
    } else if (blankBefore) {
      // A blank line inside a piece: more than one paragraph, or a list/code block.
      piece.simple = false;
    }
    blankBefore = false;
    if (piece.start !== pos) {
      piece.heading = undefined;
      if (piece.whole === 'list' && !sameListItem(line, piece.marker)) piece.whole = undefined;
      if (piece.whole === 'blockquote' && !QUOTE_LINE.test(line)) piece.whole = undefined;
    }
    if (listItem) piece.list = true;
    piece.end = lineEnd;
    if (piece.deepLine === undefined && nestingDepth(line) > MAX_NESTING) piece.deepLine = pos;
    if (indent > 3 || UNSAFE_LINE.test(line.slice(indent)) || line.includes('|')) piece.simple = false;
    const open = FENCE_OPEN.exec(line);
    if (open) {
      fence = open[1] ?? null;
      piece.simple = false;
    } else {
      for (const [start, end] of HTML_RAW_OPEN) {
        if (!start.test(line)) continue;
        piece.simple = false;
        if (!end.test(line.slice(indent + 2))) htmlEnd = end;
        break;
      }
    }
    pos = next;
  }
  return pieces;
}

function leadingSpaces(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

function isFenceClose(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && m[1]?.[0] === fence[0] && (m[1]?.length ?? 0) >= fence.length;
}

function blockKind(node: RootContent): BlockKind {
  switch (node.type) {
    case 'heading':
      return 'heading';
    case 'paragraph':
      return 'paragraph';
    case 'list':
      return 'list';
    case 'code':
      return 'code';
    case 'table':
      return 'table';
    case 'blockquote':
      return 'blockquote';
    case 'html':
      return 'html';
    default:
      // footnoteDefinition, definition, thematicBreak, …
      return 'other';
  }
}

const FENCE_LINE = /^ {0,3}:{3,}/;

function trimWhitespace(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return [s, e];
}

/** Pandoc div fences (`:::: {…}`, `:::`) glued to a block's first/last lines are markup, not text. */
function trimFenceLines(text: string, start: number, end: number): [number, number] {
  let [s, e] = trimWhitespace(text, start, end);
  for (;;) {
    const nl = text.indexOf('\n', s);
    const lineEnd = nl === -1 || nl >= e ? e : nl;
    if (!FENCE_LINE.test(text.slice(s, lineEnd))) break;
    [s, e] = trimWhitespace(text, lineEnd, e);
    if (s >= e) return [s, s];
  }
  for (;;) {
    const nl = text.lastIndexOf('\n', e - 1);
    const lineStart = nl < s ? s : nl + 1;
    if (!FENCE_LINE.test(text.slice(lineStart, e))) break;
    [s, e] = trimWhitespace(text, s, lineStart);
    if (s >= e) return [s, s];
  }
  return [s, e];
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9 || code === 0xa0 || code === 12 || code === 11;
}

/**
 * Pandoc divs whose content is player chrome of an embed ("An error occurred.", "Try watching
 * this video on www.youtube.com"), as [start, end) offsets of `text`, sorted and disjoint.
 */
const CHROME_DIV = /(?:^|[\s{.])(?:youtube-wrap|vimeo-wrap|player-unavailable|image-link-expand)\b/;
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DIV_FENCE = /^ {0,3}:{3,}[ \t]*(.*?)[ \t]*$/;

function chromeRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  if (!text.includes(':::')) return ranges;
  const stack: boolean[] = [];
  let chromeStart = -1;
  let codeFence: string | null = null;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    const next = nl === -1 ? text.length : nl + 1;
    const code = CODE_FENCE.exec(line);
    if (codeFence !== null) {
      if (code && code[1]?.[0] === codeFence[0] && (code[1]?.length ?? 0) >= codeFence.length) codeFence = null;
    } else if (code) {
      codeFence = code[1] ?? null;
    } else {
      const div = DIV_FENCE.exec(line);
      if (div) {
        const attrs = (div[1] ?? '').replace(/:+$/, '').trim();
        const inChrome = stack.length > 0 && stack[stack.length - 1] === true;
        if (attrs === '') {
          stack.pop();
          const stillChrome = stack.length > 0 && stack[stack.length - 1] === true;
          if (inChrome && !stillChrome) ranges.push([chromeStart, next]);
        } else {
          const chrome = inChrome || CHROME_DIV.test(attrs);
          if (chrome && !inChrome) chromeStart = pos;
          stack.push(chrome);
        }
      }
    }
    pos = next;
  }
  if (stack.includes(true)) ranges.push([chromeStart, text.length]);
  return ranges;
}

/** Heading text without markup: `### **Transcript** {#t .x}` → `Transcript`. */
export function headingText(raw: string): string {
  let lines = raw.split('\n');
  // Setext heading: drop the underline.
  if (lines.length > 1 && /^ {0,3}(=+|-+)[ \t]*$/.test(lines[lines.length - 1] ?? '')) lines = lines.slice(0, -1);
  return cleanInline(
    lines
      .join(' ')
      .replace(/^ {0,3}#{1,6}(?=\s|$)/, '')
      .replace(/\s+#+\s*$/, ''),
  );
}

/** Strip inline markup for display/matching (headings, speaker names). */
export function cleanInline(s: string): string {
  return s
    .replace(/\s*\{[#.-][^}]*\}\s*$/, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

const NOISE_STRIP: readonly RegExp[] = [
  /^ {0,3}:{3,}.*$/gm, // pandoc div fences
  /<!--[\s\S]*?-->/g, // comments (the book's copyright header)
  /<\/?[A-Za-z][^>]*>/g, // bare tags: <div>, </figure>
  /!\[[^\]]*\]\([^)]*\)/g, // images, alt text included
  /\[\s*\]\([^)]*\)/g, // empty links (image wrappers, tweet anchors)
  /\{[#.-][^}]*\}|\{[\w-]+=[^}]*\}/g, // pandoc attributes
];

/**
 * A block with no letter or digit once markup, images and pandoc residue are removed
 * (`::::` fence lines, an image link, `<div>`): it would only add junk to retrieval.
 */
export function isNoiseText(text: string): boolean {
  let t = text;
  for (const re of NOISE_STRIP) t = t.replace(re, '');
  return !/[\p{L}\p{N}]/u.test(t);
}
