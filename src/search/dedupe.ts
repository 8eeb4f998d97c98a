import { letterDigitRuns } from '../text/normalize.js';

/**
 * Collapse redundant hits before showing them: overlapping chunks of one document, and the same
 * text appearing in many documents (subscribe footers, repeated intros, cross-posts).
 */

export interface DedupeHit {
  docId: string;
  text: string;
  start: number;
  end: number;
}

export interface DedupeOptions {
  /** Drop a hit whose span overlaps a better hit of the same doc by more than this fraction of the shorter span. Default 0.5. */
  maxOverlap?: number;
  /** Word-shingle Jaccard similarity at or above which two texts are the same passage. Default 0.8. */
  minJaccard?: number;
  /** Words per shingle. Default 3: long enough that unrelated prose rarely shares shingles, short enough to survive small edits. */
  shingleSize?: number;
  /** Stop once this many hits are kept (a search needs only its top k). */
  limit?: number;
}

/**
 * Lower-cased letter/digit runs: markup, punctuation and escapes fall away, which is all that
 * comparing passages needs (the full quote-matching normalisation costs ~10× more on a search's hot path).
 */
function words(text: string): string[] {
  return letterDigitRuns(text.toLowerCase());
}

/**
 * Hashes of every k-word window. Each word first gets a code through `codes` (one map per collapse, so equal words
 * get equal codes across its hits): its first-seen number spread over 32 bits (times an odd constant, so distinct
 * words keep distinct codes). A window's hash is then 32-bit FNV-1a over its words' codes. V8 hashes a word string
 * natively when the map looks it up, where hashing its characters in JavaScript ran in the interpreter of a cold
 * process (~1.8 ms of a cold search's ~4 ms de-duplication).
 */
function shingles(words: string[], k: number, codes: Map<string, number>): Set<number> {
  const out = new Set<number>();
  const wh = words.map((w) => {
    let code = codes.get(w);
    if (code === undefined) codes.set(w, (code = Math.imul(codes.size + 1, 0x9e3779b1)));
    return code;
  });
  const width = Math.min(k, wh.length);
  for (let i = 0; i + width <= wh.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + width; j++) h = Math.imul(h ^ (wh[j] as number), 0x01000193);
    out.add(h >>> 0);
  }
  return out;
}

/** Overlap as a fraction of the shorter span (so a chunk nested in a bigger one counts fully). */
function overlapFraction(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const shorter = Math.min(a.end - a.start, b.end - b.start);
  if (shorter <= 0) return 0;
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)) / shorter;
}

/**
 * `hits` (best first) without the redundant ones, order kept. A hit is dropped when
 * - it overlaps a kept hit of the same doc by more than `maxOverlap` of the shorter span, or
 * - its normalised words equal a kept hit's, or their 3-word-shingle Jaccard ≥ `minJaccard` (any doc);
 *   compared as lower-cased words, so markup, case and punctuation differences don't matter.
 * Comparisons go through an inverted index of shingles, so cost follows shared shingles rather
 * than n² full comparisons.
 */
export function collapseNearDuplicates<T extends DedupeHit>(hits: Iterable<T>, opts: DedupeOptions = {}): T[] {
  const maxOverlap = opts.maxOverlap ?? 0.5;
  const minJaccard = opts.minJaccard ?? 0.8;
  const k = Math.max(1, Math.floor(opts.shingleSize ?? 3));

  const kept: T[] = [];
  const spansByDoc = new Map<string, T[]>();
  let keptEmpty = false;
  const postings = new Map<number, number[]>();
  const sizes: number[] = [];
  const codes = new Map<string, number>();

  for (const hit of hits) {
    if (opts.limit !== undefined && kept.length >= opts.limit) break;
    const sameDoc = spansByDoc.get(hit.docId);
    if (sameDoc?.some((h) => overlapFraction(h, hit) > maxOverlap)) continue;

    const ws = words(hit.text);
    // Identical words give identical shingle sets (Jaccard 1), so the shingle test
    // below covers exact repeats too; only word-less texts need their own check.
    if (ws.length === 0) {
      if (keptEmpty) continue;
      keptEmpty = true;
    }

    const sh = shingles(ws, k, codes);
    // Shared-shingle counts per kept hit, gathered through the postings.
    const shared = new Int32Array(kept.length);
    const touched: number[] = [];
    for (const s of sh) {
      const list = postings.get(s);
      if (!list) continue;
      for (const j of list) {
        if (shared[j] === 0) touched.push(j);
        shared[j] = (shared[j] as number) + 1;
      }
    }
    const duplicate = touched.some((j) => {
      const inter = shared[j] as number;
      return inter / (sh.size + (sizes[j] as number) - inter) >= minJaccard;
    });
    if (duplicate) continue;

    const idx = kept.length;
    kept.push(hit);
    sizes.push(sh.size);
    for (const s of sh) {
      const list = postings.get(s);
      if (list) list.push(idx);
      else postings.set(s, [idx]);
    }
    if (sameDoc) sameDoc.push(hit);
    else spansByDoc.set(hit.docId, [hit]);
  }
  return kept;
}
