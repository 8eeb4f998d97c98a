/**
 * A draft as its author wrote it, cut into paragraphs whatever the newline style: blank-line separated
 * (markdown), one paragraph per line (single newlines, as editors like Substack's and Google Docs export),
 * hard-wrapped prose, CRLF or lone CR. Markdown blocks (headings, block quotes, list items, code fences, front
 * matter) are blocks of their own. Every tool that reads a draft (related, check) cuts it here, so they see
 * the same paragraphs and probe them the same way.
 */

import { sentenceRanges } from './sentences.js';

export type DraftBlockKind = 'paragraph' | 'heading' | 'quote' | 'list' | 'code' | 'frontmatter';

export interface DraftParagraph {
  /** Position among the draft's blocks, from 0. */
  index: number;
  kind: DraftBlockKind;
  /** `[start, end)` in the draft text as given (trimmed). */
  start: number;
  end: number;
  /** 1-based lines (every newline style counts as one line break). */
  lineStart: number;
  lineEnd: number;
  /** The draft's text of the block, exactly as written. */
  text: string;
}

/** A stretch of one paragraph searched as one query. */
export interface DraftProbe {
  paragraph: number;
  start: number;
  end: number;
  text: string;
}

interface Line {
  start: number;
  /** End of the line's content (before its line break). */
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let from = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ start: from, end: m.index, text: text.slice(from, m.index) });
    from = m.index + m[0].length;
  }
  out.push({ start: from, end: text.length, text: text.slice(from) });
  return out;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}(\s|$)/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const QUOTE = /^\s{0,3}>/;
const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+\S/;
const RULE = /^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;

/**
 * Lines longer than this are never hard-wrapped prose (editors wrap at 72–100 columns): a blank-line-free run
 * with such a line is one paragraph per line.
 */
const WRAP_WIDTH = 100;
/** Narrowest wrap width assumed when a run has too few lines to measure its own. */
const MIN_WRAP = 80;

/**
 * Prose lines (indices into `lines`) of one blank-line-free run, grouped into paragraphs. Hard-wrapped prose
 * fills its lines greedily, so a line that ends a sentence although the next line's first word would still
 * have fit on it ends its paragraph (one short paragraph per line reads that way too).
 */
function proseParagraphs(lines: readonly Line[], run: number[]): number[][] {
  if (run.length <= 1) return run.length ? [run] : [];
  const widest = run.reduce((m, i) => Math.max(m, lines[i]!.text.trim().length), 0);
  if (widest > WRAP_WIDTH) return run.map((i) => [i]);
  const width = run.length >= 5 ? widest : Math.max(widest, MIN_WRAP);
  const out: number[][] = [];
  let current: number[] = [];
  run.forEach((i, k) => {
    current.push(i);
    const t = lines[i]!.text.trim();
    const next = run[k + 1];
    const nextWord = next === undefined ? '' : (/\S+/.exec(lines[next]!.text)?.[0] ?? '');
    if (/[.!?:"”’)]$/.test(t) && t.length + 1 + nextWord.length <= width) {
      out.push(current);
      current = [];
    }
  });
  if (current.length) out.push(current);
  return out;
}

/** The draft's blocks in order. Empty drafts have none. */
export function splitDraft(text: string): DraftParagraph[] {
  const lines = splitLines(text);
  const blocks: { kind: DraftBlockKind; first: number; last: number }[] = [];
  let prose: number[] = [];
  const flushProse = () => {
    for (const group of proseParagraphs(lines, prose)) blocks.push({ kind: 'paragraph', first: group[0]!, last: group[group.length - 1]! });
    prose = [];
  };

  let i = 0;
  // Front matter only at the very start: `---` … `---` (YAML) or `+++` … `+++` (TOML).
  const open = lines[0]?.text.trim();
  if (open === '---' || open === '+++') {
    const close = lines.findIndex((l, j) => j > 0 && l.text.trim() === open);
    if (close > 0) {
      blocks.push({ kind: 'frontmatter', first: 0, last: close });
      i = close + 1;
    }
  }
  while (i < lines.length) {
    const line = lines[i]!;
    const t = line.text;
    if (t.trim() === '') {
      flushProse();
      i++;
      continue;
    }
    const fence = FENCE.exec(t);
    if (fence) {
      flushProse();
      const marker = fence[1]!;
      let j = i + 1;
      while (j < lines.length && !lines[j]!.text.trim().startsWith(marker)) j++;
      blocks.push({ kind: 'code', first: i, last: Math.min(j, lines.length - 1) });
      i = j + 1;
      continue;
    }
    if (HEADING.test(t)) {
      flushProse();
      blocks.push({ kind: 'heading', first: i, last: i });
      i++;
      continue;
    }
    // `Title` over `===` / `---`: the prose line above is a heading (a lone `---` after a blank line is a rule).
    if (SETEXT.test(t) && prose.length > 0) {
      const title = prose.pop()!;
      flushProse();
      blocks.push({ kind: 'heading', first: title, last: i });
      i++;
      continue;
    }
    if (RULE.test(t)) {
      flushProse();
      i++;
      continue;
    }
    if (QUOTE.test(t)) {
      flushProse();
      let j = i;
      while (j + 1 < lines.length && QUOTE.test(lines[j + 1]!.text)) j++;
      blocks.push({ kind: 'quote', first: i, last: j });
      i = j + 1;
      continue;
    }
    if (LIST_ITEM.test(t)) {
      flushProse();
      // An item takes its indented continuation lines.
      let j = i;
      while (j + 1 < lines.length && /^\s{2,}\S/.test(lines[j + 1]!.text) && !LIST_ITEM.test(lines[j + 1]!.text)) j++;
      blocks.push({ kind: 'list', first: i, last: j });
      i = j + 1;
      continue;
    }
    prose.push(i);
    i++;
  }
  flushProse();

  return blocks.map((b, index) => {
    const first = lines[b.first]!;
    const last = lines[b.last]!;
    let start = first.start;
    let end = last.end;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    return { index, kind: b.kind, start, end, lineStart: b.first + 1, lineEnd: b.last + 1, text: text.slice(start, end) };
  });
}

/** Block markup that is no part of what a paragraph says: `#`, `>`, list markers. */
export function blockContent(p: Pick<DraftParagraph, 'kind' | 'text'>): string {
  if (p.kind === 'heading') return p.text.replace(/^\s{0,3}#{1,6}\s*/, '').replace(/\n\s*(=+|-+)\s*$/, '');
  if (p.kind === 'quote') return p.text.replace(/^\s{0,3}>\s?/gm, '');
  if (p.kind === 'list') return p.text.replace(/^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+/, '');
  return p.text;
}

/** Longest query a probe sends: the search's own cap on a query. */
export const PROBE_CHARS = 1_500;
/** Fewer words than this say too little to search on (a heading, "Here's why."). */
const PROBE_MIN_WORDS = 6;

/**
 * The stretches of a draft to search: every paragraph with something to say (headings, code and front matter
 * left out), a long one in windows of whole sentences up to PROBE_CHARS, so every part of it is searched.
 */
export function draftProbes(paragraphs: readonly DraftParagraph[]): DraftProbe[] {
  const out: DraftProbe[] = [];
  for (const p of paragraphs) {
    if (p.kind === 'heading' || p.kind === 'code' || p.kind === 'frontmatter') continue;
    const content = p.text;
    if ((content.match(/\S+/g)?.length ?? 0) < PROBE_MIN_WORDS) continue;
    let window: { start: number; end: number } | null = null;
    const emit = (w: { start: number; end: number }) =>
      out.push({ paragraph: p.index, start: p.start + w.start, end: p.start + w.end, text: content.slice(w.start, w.end) });
    for (const [sStart, sEnd] of sentenceRanges(content)) {
      // A sentence longer than a window on its own is cut at word boundaries.
      for (let a = sStart; a < sEnd; ) {
        let b = Math.min(sEnd, a + PROBE_CHARS);
        if (b < sEnd) b = Math.max(a + 1, content.lastIndexOf(' ', b) > a ? content.lastIndexOf(' ', b) : b);
        if (window && b - window.start <= PROBE_CHARS) window.end = b;
        else {
          if (window) emit(window);
          window = { start: a, end: b };
        }
        a = b;
      }
    }
    if (window) emit(window);
  }
  return out;
}
