import type { Block, BlockKind, Chunk, ChunkOptions, ParsedDocument, TokenCounter } from '../core/types.js';
import { lineAt, lineStarts, paragraphRanges, trimmedRange } from '../text/lines.js';
import { sentenceRanges } from '../text/sentences.js';
import { isNoiseText } from './markdown.js';

/**
 * Turns (runs of one speaker) shorter than this merge into the next turn ("Yeah." + the
 * question that follows; a short question + its answer), or into the previous turn at the
 * end of a conversation, so acknowledgements never become chunks of their own.
 */
export const MIN_TURN_TOKENS = 30;

/** A range of text the packer places whole: a block, or a piece of a block over budget. */
interface Atom {
  start: number;
  end: number;
  tokens: number;
  block: Block;
}

interface Segment {
  blocks: Block[];
  turn: boolean;
  tokens: number;
}

interface Draft {
  start: number;
  end: number;
  tokens: number;
  atoms: Atom[];
  /** Block the chunk starts in (an overlap may start in the previous chunk's last block). */
  first: Block;
}

/** Kinds whose text reads as sentences: split and overlapped by sentence. Lists, tables, code, html go by line. */
const PROSE: ReadonlySet<BlockKind> = new Set(['paragraph', 'blockquote', 'turn', 'other', 'heading']);

/**
 * Pack a document's blocks into retrieval chunks.
 *
 * - Consecutive blocks of one heading section pack together up to `maxTokens`; sections never
 *   merge. A heading opens its section's first chunk; a section holding nothing but headings
 *   yields no chunk (the heading path already travels with every chunk below it).
 * - Transcript turns never share a chunk with prose. Consecutive turns of one speaker pack like
 *   a section; a different speaker starts a new chunk, except that turns under MIN_TURN_TOKENS
 *   merge forward (see there). Such a chunk lists all its `speakers`; `speaker`/`timestamp` are
 *   those of the one with most of its text, so `--speaker` finds a guest's answer, not the host's
 *   question that a one-word reply merged into.
 * - A block over budget splits at paragraphs, then sentences (lines for lists/tables/code/html),
 *   then words; a single word over budget stays whole (the only way a chunk exceeds the budget).
 * - When a section or turn is split, the next chunk starts with the last whole sentences
 *   (≤ `overlapTokens`) of the previous one.
 * - Text between two blocks (blank lines, a dropped image link) belongs to the chunk; a gap
 *   over `noiseGap` tokens (embed JSON) or holding dropped words (player chrome) ends the chunk
 *   instead, without overlap, so junk does not dilute the embedding.
 * - `text === source.slice(start, end)`, trimmed by moving offsets; chunks without a letter or
 *   digit are dropped.
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions, countTokens: TokenCounter): Chunk[] {
  // A tokenizer that adds special tokens ([CLS]/[SEP]) counts them once per call: pieces are
  // counted without them, and the chunk's budget keeps room for them once.
  const overhead = Math.max(0, countTokens(''));
  const maxTokens = Math.max(1, Math.floor(opts.maxTokens) - overhead);
  const overlapTokens = Math.max(0, Math.min(Math.floor(opts.overlapTokens), Math.floor(maxTokens / 2)));
  const ctx: Ctx = {
    source: doc.source,
    maxTokens,
    overlapTokens,
    noiseGap: Math.max(16, Math.floor(maxTokens / 8)),
    tok: (text) => Math.max(0, countTokens(text) - overhead),
  };
  const blockTokens = new Map<Block, number>();
  for (const b of doc.blocks) blockTokens.set(b, ctx.tok(doc.source.slice(b.start, b.end)));
  const segments = mergeShortTurns(segmentsOf(doc.blocks, blockTokens));
  const drafts: Draft[] = [];
  for (const seg of segments) drafts.push(...packSegment(ctx, atomsOf(ctx, seg, blockTokens)));
  return toChunks(doc, drafts);
}

interface Ctx {
  source: string;
  maxTokens: number;
  overlapTokens: number;
  noiseGap: number;
  tok: (text: string) => number;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function segmentsOf(blocks: readonly Block[], tokens: Map<Block, number>): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | null = null;
  let prev: Block | null = null;
  for (const b of [...blocks].sort((x, y) => x.start - y.start)) {
    const turn = b.kind === 'turn';
    const split =
      !cur ||
      !prev ||
      b.kind === 'heading' ||
      turn !== cur.turn ||
      !samePath(b.headingPath, prev.headingPath) ||
      (turn && b.speaker !== prev.speaker);
    if (split || !cur) {
      cur = { blocks: [], turn, tokens: 0 };
      out.push(cur);
    }
    cur.blocks.push(b);
    cur.tokens += tokens.get(b) ?? 0;
    prev = b;
  }
  return out;
}

/** Short turns merge into the next turn; a short last turn of a conversation merges backwards. */
function mergeShortTurns(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  let carry: Segment | null = null;
  let prevWasTurn = false;
  for (let i = 0; i < segments.length; i++) {
    let seg = segments[i];
    if (!seg) continue;
    if (carry) {
      seg = { blocks: [...carry.blocks, ...seg.blocks], turn: true, tokens: carry.tokens + seg.tokens };
      carry = null;
    }
    const short = seg.turn && seg.tokens < MIN_TURN_TOKENS;
    const last = out[out.length - 1];
    if (short && segments[i + 1]?.turn === true) {
      carry = seg;
      continue;
    }
    if (short && prevWasTurn && last) {
      last.blocks.push(...seg.blocks);
      last.tokens += seg.tokens;
      continue;
    }
    out.push(seg);
    prevWasTurn = seg.turn;
  }
  return out;
}

function atomsOf(ctx: Ctx, seg: Segment, tokens: Map<Block, number>): Atom[] {
  const atoms: Atom[] = [];
  for (const block of seg.blocks) {
    const t = tokens.get(block) ?? 0;
    if (t <= ctx.maxTokens) atoms.push({ start: block.start, end: block.end, tokens: t, block });
    else splitRange(ctx, block, block.start, block.end, 0, atoms);
  }
  return atoms;
}

/** Split [start, end) of an over-budget block: paragraphs → sentences (or lines) → words. */
function splitRange(ctx: Ctx, block: Block, start: number, end: number, level: number, out: Atom[]): void {
  const pieces =
    level === 0
      ? paragraphRanges(ctx.source, start, end)
      : level === 1
        ? PROSE.has(block.kind)
          ? sentenceRanges(ctx.source, start, end)
          : lineRanges(ctx.source, start, end)
        : null;
  if (pieces === null) {
    splitWords(ctx, block, start, end, out);
    return;
  }
  if (pieces.length <= 1 && level < 2) {
    splitRange(ctx, block, start, end, level + 1, out);
    return;
  }
  for (const [s, e] of pieces) {
    const t = ctx.tok(ctx.source.slice(s, e));
    if (t <= ctx.maxTokens) out.push({ start: s, end: e, tokens: t, block });
    else splitRange(ctx, block, s, e, level + 1, out);
  }
}

/** Greedy runs of whole words within budget; a single word over budget becomes its own atom. */
function splitWords(ctx: Ctx, block: Block, start: number, end: number, out: Atom[]): void {
  const re = /\S+/g;
  re.lastIndex = start;
  let runStart = -1;
  let runEnd = -1;
  let runTokens = 0;
  const text = ctx.source;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const wEnd = Math.min(m.index + m[0].length, end);
    const t = ctx.tok(text.slice(m.index, wEnd));
    if (runStart !== -1 && runTokens + t > ctx.maxTokens) {
      out.push({ start: runStart, end: runEnd, tokens: runTokens, block });
      runStart = -1;
    }
    if (runStart === -1) {
      runStart = m.index;
      runTokens = 0;
    }
    runEnd = wEnd;
    runTokens += t;
  }
  if (runStart !== -1) out.push({ start: runStart, end: runEnd, tokens: runTokens, block });
}

function lineRanges(source: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let pos = start;
  while (pos < end) {
    const nl = source.indexOf('\n', pos);
    const lineEnd = nl === -1 || nl >= end ? end : nl;
    const line = trimmedRange(source, pos, lineEnd);
    if (line) out.push(line);
    pos = lineEnd + 1;
  }
  return out;
}

function gapTokens(ctx: Ctx, from: number, to: number): number {
  if (to <= from) return 0;
  const gap = ctx.source.slice(from, to);
  return /\S/.test(gap) ? ctx.tok(gap) : 0;
}

/** The gap holds words a parser dropped as noise (embed chrome such as "Try watching this video…"). */
function droppedText(ctx: Ctx, from: number, to: number): boolean {
  return !isNoiseText(ctx.source.slice(from, to));
}

function packSegment(ctx: Ctx, atoms: readonly Atom[]): Draft[] {
  const drafts: Draft[] = [];
  let cur: Draft | null = null;
  for (const atom of atoms) {
    if (!cur) {
      cur = open(atom);
      continue;
    }
    const gap = gapTokens(ctx, cur.end, atom.start);
    if (gap > 0 && (gap > ctx.noiseGap || droppedText(ctx, cur.end, atom.start))) {
      drafts.push(cur);
      cur = open(atom);
    } else if (cur.tokens + gap + atom.tokens > ctx.maxTokens) {
      drafts.push(cur);
      cur = withOverlap(ctx, cur, atom, gap);
    } else {
      cur.atoms.push(atom);
      cur.end = atom.end;
      cur.tokens += gap + atom.tokens;
    }
  }
  if (cur) drafts.push(cur);
  return drafts;
}

function open(atom: Atom): Draft {
  return { start: atom.start, end: atom.end, tokens: atom.tokens, atoms: [atom], first: atom.block };
}

/**
 * Start the next chunk with the longest run of whole trailing sentences of `prev` that fits
 * both `overlapTokens` and, with `atom`, the budget. Sentences come only from prose atoms at
 * the end of `prev` with nothing but whitespace between them.
 */
function withOverlap(ctx: Ctx, prev: Draft, atom: Atom, gapToAtom: number): Draft {
  const next = open(atom);
  if (ctx.overlapTokens === 0) return next;
  const room = Math.min(ctx.overlapTokens, ctx.maxTokens - atom.tokens - gapToAtom);
  let used = 0;
  let start = -1;
  let first: Block = atom.block;
  for (let i = prev.atoms.length - 1; i >= 0 && used < room; i--) {
    const a = prev.atoms[i];
    if (!a || !PROSE.has(a.block.kind)) break;
    const after = prev.atoms[i + 1];
    if (after && /\S/.test(ctx.source.slice(a.end, after.start))) break;
    const sentences = sentenceRanges(ctx.source, Math.max(a.start, prev.start), a.end);
    let fits = true;
    for (let j = sentences.length - 1; j >= 0; j--) {
      const s = sentences[j];
      if (!s || s[0] <= prev.start) {
        fits = false;
        break;
      }
      const t = ctx.tok(ctx.source.slice(s[0], s[1]));
      if (used + t > room) {
        fits = false;
        break;
      }
      used += t;
      start = s[0];
      first = a.block;
    }
    if (!fits) break;
  }
  if (start === -1) return next;
  // The overlap ends where `prev` ends, so the gap to `atom` is the one already counted.
  return { start, end: atom.end, tokens: used + gapToAtom + atom.tokens, atoms: [atom], first };
}

/** Speakers of a draft in order, the one with most characters, and that speaker's first timestamp. */
function chunkSpeakers(d: Draft, start: number): Pick<Chunk, 'speaker' | 'timestamp' | 'speakers'> {
  const parts: { block: Block; chars: number }[] = [];
  // An overlap carried from the previous chunk starts in `d.first`, before the first atom.
  const firstAtom = d.atoms[0];
  if (firstAtom && d.first !== firstAtom.block && start < firstAtom.start) parts.push({ block: d.first, chars: firstAtom.start - start });
  for (const a of d.atoms) parts.push({ block: a.block, chars: a.end - a.start });
  const chars = new Map<string, number>();
  const speakers: string[] = [];
  for (const p of parts) {
    const s = p.block.speaker;
    if (s === null) continue;
    if (!chars.has(s)) speakers.push(s);
    chars.set(s, (chars.get(s) ?? 0) + p.chars);
  }
  let speaker: string | null = null;
  for (const s of speakers) if (speaker === null || (chars.get(s) ?? 0) > (chars.get(speaker) ?? 0)) speaker = s;
  const timestamp = parts.find((p) => p.block.speaker === speaker && p.block.timestamp !== null)?.block.timestamp ?? null;
  return { speaker, timestamp, speakers };
}

function toChunks(doc: ParsedDocument, drafts: readonly Draft[]): Chunk[] {
  const starts = doc.linesMapToFile ? lineStarts(doc.source) : null;
  const line = (offset: number) => (starts ? doc.lineBase - 1 + lineAt(starts, offset) : doc.lineBase);
  const chunks: Chunk[] = [];
  for (const d of drafts) {
    if (d.atoms.every((a) => a.block.kind === 'heading')) continue;
    const [start, end] = trimmedRange(doc.source, d.start, d.end) ?? [d.start, d.start];
    const text = doc.source.slice(start, end);
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    chunks.push({
      docId: doc.meta.docId,
      chunkIndex: chunks.length,
      text,
      start,
      end,
      lineStart: line(start),
      lineEnd: line(end - 1),
      headingPath: [...d.first.headingPath],
      ...chunkSpeakers(d, start),
      passage: { text, start, end, lineStart: line(start), lineEnd: line(end - 1) },
    });
  }
  return chunks;
}
