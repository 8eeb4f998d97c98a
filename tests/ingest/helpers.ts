import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Chunk, ParsedDocument, TokenCounter } from '../../src/core/types.js';
import { lineAt, lineStarts } from '../../src/ingest/lines.js';

/** The shared real-data folder beside the repository (read-only). */
export const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const HAS_DATA = existsSync(path.join(DATA, 'interconnects', 'public'));

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

/** The chunk contract: exact slice, trimmed, 1-based lines matching the offsets, dense indexes. */
export function expectValidChunks(doc: ParsedDocument, chunks: readonly Chunk[]): void {
  const starts = lineStarts(doc.source);
  chunks.forEach((c, i) => {
    expect(c.chunkIndex).toBe(i);
    expect(c.docId).toBe(doc.meta.docId);
    expect(c.text).toBe(doc.source.slice(c.start, c.end));
    expect(c.text.trim()).toBe(c.text);
    expect(c.text.length).toBeGreaterThan(0);
    if (doc.linesMapToFile) {
      expect(c.lineStart).toBe(doc.lineBase - 1 + lineAt(starts, c.start));
      expect(c.lineEnd).toBe(doc.lineBase - 1 + lineAt(starts, c.end - 1));
    } else {
      expect(c.lineStart).toBe(doc.lineBase);
      expect(c.lineEnd).toBe(doc.lineBase);
    }
    if (i > 0) expect(c.start).toBeGreaterThan(chunks[i - 1]?.start ?? -1);
  });
}
