import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { SHARED_DATA } from '../helpers/paths.js';
import type { Chunk, ParsedDocument, TokenCounter } from '../../src/core/types.js';
import { lineAt, lineStarts } from '../../src/text/lines.js';

/** The shared real-data folder beside the repository (read-only; archive tier only). */
export const DATA = SHARED_DATA;

export interface DataFile {
  /** POSIX path relative to DATA, e.g. `interconnects/public/2024/x.md`. */
  rel: string;
  content: string;
}

let posts: DataFile[] | null = null;
let chapters: DataFile[] | null = null;

export function interconnectsFiles(): DataFile[] {
  posts ??= readdirSync(path.join(DATA, 'interconnects', 'public'))
    .sort()
    .flatMap((year) =>
      readdirSync(path.join(DATA, 'interconnects', 'public', year))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => read(`interconnects/public/${year}/${f}`)),
    );
  return posts;
}

export function bookFiles(): DataFile[] {
  chapters ??= readdirSync(path.join(DATA, 'rlhf-book', 'chapters'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => read(`rlhf-book/chapters/${f}`));
  return chapters;
}

export function read(rel: string): DataFile {
  return { rel, content: readFileSync(path.join(DATA, rel), 'utf8') };
}

/** Whitespace-separated words: a stand-in tokenizer that is exactly additive. */
export const words: TokenCounter = (text) => {
  let n = 0;
  const re = /\S+/g;
  while (re.exec(text)) n++;
  return n;
};

/** Violations of the chunk contract: exact slice, trimmed, 1-based lines matching the offsets, dense indexes. */
export function chunkProblems(doc: ParsedDocument, chunks: readonly Chunk[]): string[] {
  const starts = lineStarts(doc.source);
  const problems: string[] = [];
  const bad = (i: number, what: string) => problems.push(`${doc.meta.docId} chunk ${i}: ${what}`);
  chunks.forEach((c, i) => {
    if (c.chunkIndex !== i) bad(i, `chunkIndex ${c.chunkIndex}`);
    if (c.docId !== doc.meta.docId) bad(i, `docId ${c.docId}`);
    if (c.text !== doc.source.slice(c.start, c.end)) bad(i, 'text is not source.slice(start, end)');
    if (c.text.trim() !== c.text || c.text.length === 0) bad(i, 'not trimmed or empty');
    const lineStart = doc.linesMapToFile ? doc.lineBase - 1 + lineAt(starts, c.start) : doc.lineBase;
    const lineEnd = doc.linesMapToFile ? doc.lineBase - 1 + lineAt(starts, c.end - 1) : doc.lineBase;
    if (c.lineStart !== lineStart || c.lineEnd !== lineEnd) bad(i, `lines ${c.lineStart}-${c.lineEnd}, expected ${lineStart}-${lineEnd}`);
    const prev = chunks[i - 1];
    if (prev && c.start <= prev.start) bad(i, 'does not start after the previous chunk');
    // The passage shown for the chunk: an exact slice too, with its own lines, holding the whole chunk.
    const p = c.passage;
    if (p.text !== doc.source.slice(p.start, p.end)) bad(i, 'passage text is not source.slice(start, end)');
    if (p.start > c.start || p.end < c.end) bad(i, `passage ${p.start}-${p.end} does not hold the chunk ${c.start}-${c.end}`);
    const pStart = doc.linesMapToFile ? doc.lineBase - 1 + lineAt(starts, p.start) : doc.lineBase;
    const pEnd = doc.linesMapToFile ? doc.lineBase - 1 + lineAt(starts, p.end - 1) : doc.lineBase;
    if (p.lineStart !== pStart || p.lineEnd !== pEnd) bad(i, `passage lines ${p.lineStart}-${p.lineEnd}, expected ${pStart}-${pEnd}`);
  });
  return problems;
}

export function expectValidChunks(doc: ParsedDocument, chunks: readonly Chunk[]): void {
  expect(chunkProblems(doc, chunks)).toEqual([]);
}
