/**
 * ask names the book of the chapters it lists when the corpus says it (the root's `book` setting; the chapters' own
 * front matter names only the chapter, as the rlhf-book's does, after an HTML comment), and the chapter number alone
 * when it does not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { askTool } from '../../src/tools/ask.js';
import { createToolContext } from '../../src/tools/context.js';
import { callTool } from '../../src/tools/tool.js';
import { tempDir } from '../helpers/sample-index.js';

const BOOK = 'A Field Guide to Calibration';

function chapter(n: number, title: string, body: string): string {
  return `<!--\n  Copyright (c) 2026 The Author.\n-->\n---\npage-title: ${title}\nsearch-title: "Chapter ${n}: ${title}"\n---\n\n# ${title}\n\n${body}\n`;
}

async function askIndex(book: string | undefined) {
  const work = tempDir('priors-ask-book-');
  const root = path.join(work, 'chapters');
  mkdirSync(root);
  writeFileSync(path.join(root, '01-intro.md'), chapter(1, 'Introduction', 'Why forecasters keep a calibration curve.'));
  writeFileSync(path.join(root, '02-curves.md'), chapter(2, 'Reading Curves', 'A calibration curve plots confidence against accuracy.'));
  writeFileSync(path.join(work, 'post.md'), '---\ntitle: A post\ndate: 2024-01-02\n---\n\nA post on calibration curves too.\n');
  const index = path.join(work, 'index');
  await ingest({
    roots: [
      { path: root, book },
      { path: path.join(work, 'post.md'), name: 'blog' },
    ],
    index,
    embedder: null,
  });
  const ctx = createToolContext({ index, onWarning: () => undefined });
  try {
    return await callTool(askTool, ctx, { question: 'calibration curve' });
  } finally {
    await ctx.close();
  }
}

describe('ask on book chapters', () => {
  it('names the book from the root setting beside each chapter title, in text and JSON', async () => {
    const out = await askIndex(BOOK);
    const curves = out.documents.find((d) => d.docId === 'chapters/02-curves.md');
    expect(curves).toMatchObject({ type: 'chapter', book: BOOK, chapter: '2' });
    expect(out.documents.find((d) => d.docId === 'blog/post.md')).toMatchObject({ type: 'post', book: null, chapter: null });
    const text = askTool.toText(out);
    expect(text).toMatch(new RegExp(`^\\d\\. Reading Curves — ${BOOK}, ch\\. 2$`, 'm'));
    expect(text).toMatch(/^\d\. A post \(2024-01-02\)$/m);
  });

  it('gives the chapter number alone when the corpus names no book', async () => {
    const out = await askIndex(undefined);
    expect(out.documents.find((d) => d.docId === 'chapters/01-intro.md')).toMatchObject({ book: null, chapter: '1' });
    expect(askTool.toText(out)).toMatch(/^\d\. Introduction — ch\. 1$/m);
  });
});
