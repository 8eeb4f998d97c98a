import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { IndexStore } from '../../src/index/store.js';
import { callTool } from '../../src/tools/tool.js';
import { citeTool } from '../../src/tools/cite.js';
import { listDocumentsTool } from '../../src/tools/list-documents.js';
import { listRootsTool, removeRootTool } from '../../src/tools/roots.js';
import { createToolContext } from '../../src/tools/context.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

let work: string;
let blog: string;
let book: string;
let index: string;

beforeAll(() => {
  work = tempDir();
  blog = path.join(work, 'blog');
  cpSync(CORPUS, blog, { recursive: true });
  writeFileSync(
    path.join(blog, 'no-url.md'),
    '---\ntitle: No URL\npost_id: 123.no-url-here\n---\n\nA post without a url in its front matter.\n',
  );
  book = path.join(work, 'my-book');
  mkdirSync(book);
  writeFileSync(path.join(book, '01-start.md'), '# Start\n\nThe first chapter says where it starts.\n');
  writeFileSync(path.join(book, '02-middle.md'), '# Middle\n\nThe second chapter says something in the middle.\n');
  index = path.join(work, 'index');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function ids(): Promise<string[]> {
  const store = await IndexStore.open(index);
  try {
    return (await store.listDocuments()).map((d) => d.doc_id).sort();
  } finally {
    store.close();
  }
}

describe('roots are collections', () => {
  it('adding a root keeps the other root and its ids; a bare ingest reads both', async () => {
    const first = await ingest({ roots: [{ path: blog, urlTemplate: 'https://blog.example/{slug}' }], index, embedder: null });
    const blogIds = await ids();
    expect(blogIds.every((id) => id.startsWith('blog/'))).toBe(true);
    const second = await ingest({ roots: [{ path: book, book: 'My Book', author: 'A. Writer' }], index, embedder: null });
    expect(second).toMatchObject({ added: 2, removed: 0, documents: first.documents + 2, roots: ['my-book'] });
    expect(await ids()).toEqual([...blogIds, 'my-book/01-start.md', 'my-book/02-middle.md'].sort());
    const bare = await ingest({ roots: [], index, embedder: null });
    expect(bare).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: first.documents + 2, roots: ['blog', 'my-book'] });
  });

  it('keeps settings with the root: chapters cite with the book, posts carry the template URL', async () => {
    const ctx = createToolContext({ index, onWarning: () => undefined });
    try {
      const chapter = await callTool(citeTool, ctx, { docId: 'my-book/02-middle.md:3', format: 'plain' });
      expect(chapter.citation).toContain('A. Writer, My Book, ch. 2 "Middle" (my-book/02-middle.md:3)');
      const listed = await callTool(listDocumentsTool, ctx, { root: ['blog'], limit: 500 });
      expect(listed.documents.length).toBeGreaterThan(0);
      // A front matter url wins; the others get the root's template.
      expect(listed.documents.every((d) => d.url !== null)).toBe(true);
      expect(listed.documents.find((d) => d.docId === 'blog/no-url.md')?.url).toBe('https://blog.example/no-url-here');
      const chapters = await callTool(listDocumentsTool, ctx, { type: ['chapter'] });
      expect(chapters.documents.map((d) => d.docId).sort()).toEqual(['my-book/01-start.md', 'my-book/02-middle.md']);
      const roots = await callTool(listRootsTool, ctx, {});
      expect(roots.roots.map((r) => [r.name, r.documents, r.book])).toEqual([
        ['blog', listed.total, null],
        ['my-book', 2, 'My Book'],
      ]);
    } finally {
      await ctx.close();
    }
  });

  it('a changed root setting re-derives its documents; a missing root folder warns and keeps them', async () => {
    const changed = await ingest({ roots: [{ path: book, book: 'My Book, 2nd ed.' }], index, embedder: null });
    expect(changed).toMatchObject({ updated: 2, removed: 0 });
    const moved = path.join(work, 'unmounted');
    renameSync(book, moved);
    try {
      const before = await ids();
      const r = await ingest({ roots: [], index, embedder: null });
      expect(r.removed).toBe(0);
      expect(r.warnings.join('\n')).toMatch(/root "my-book": .* is missing \(unmounted\?\); its 2 documents stay/);
      expect(await ids()).toEqual(before);
    } finally {
      renameSync(moved, book);
    }
  });

  it('removes a root and only its documents, explicitly', async () => {
    const ctx = createToolContext({ index, onWarning: () => undefined });
    try {
      const out = await callTool(removeRootTool, ctx, { name: 'my-book' });
      expect(out).toMatchObject({ removed: 2, remaining: ['blog'] });
      expect((await ids()).some((id) => id.startsWith('my-book/'))).toBe(false);
      await expect(callTool(removeRootTool, ctx, { name: 'my-book' })).rejects.toThrow(/no root "my-book"/);
      expect((await callTool(listRootsTool, ctx, {})).roots.map((r) => r.name)).toEqual(['blog']);
    } finally {
      await ctx.close();
    }
    // A bare ingest now reads only the remaining root and does not bring the removed one back.
    const r = await ingest({ roots: [], index, embedder: null });
    expect(r.roots).toEqual(['blog']);
  });

  it('names a new root after its folder, numbered on a clash; --name of a stored root moves it', async () => {
    const other = path.join(work, 'elsewhere', 'blog');
    mkdirSync(other, { recursive: true });
    writeFileSync(path.join(other, 'x.md'), '# X\n\nAnother blog with the same folder name.\n');
    const r = await ingest({ roots: [other], index, embedder: null });
    expect(r.roots).toEqual(['blog-2']);
    expect(await ids()).toContain('blog-2/x.md');
    // The blog copied elsewhere and named like the stored root: the same ids, read from the new place.
    const moved = path.join(work, 'copy-of-blog');
    cpSync(blog, moved, { recursive: true });
    const before = (await ids()).filter((id) => id.startsWith('blog/'));
    const r2 = await ingest({ roots: [{ path: moved, name: 'blog' }], index, embedder: null });
    expect(r2).toMatchObject({ roots: ['blog'], added: 0, removed: 0 });
    expect((await ids()).filter((id) => id.startsWith('blog/'))).toEqual(before);
  });
});
