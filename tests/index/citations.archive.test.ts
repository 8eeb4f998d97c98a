import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestReport, ingest } from '../../src/ingest/ingest.js';
import { askTool } from '../../src/tools/ask.js';
import { citeTool } from '../../src/tools/cite.js';
import { createToolContext } from '../../src/tools/context.js';
import { getDocumentTool } from '../../src/tools/get-document.js';
import { listDocumentsTool } from '../../src/tools/list-documents.js';
import { quoteTool } from '../../src/tools/quote.js';
import { searchTool } from '../../src/tools/search.js';
import { callTool } from '../../src/tools/tool.js';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';

interface ManifestEntry {
  path: string;
  url: string;
}

const BOOK = 'Reinforcement Learning from Human Feedback';
const ROSS_2024 = 'interconnects/public/2024/2024-08-08-interviewingrosstayloronllmreasoningllamafine-tuni.md';
const ROSS_2025 = 'interconnects/public/2025/2025-07-29-interviewingrosstayloronthestateofaichineseopenmod.md';

/** The "done when", on the real archive: two roots, URLs, a book, speakers, one id. */
describe.skipIf(!has('sharedData'))('citations on the real archive', { timeout: 240_000 }, () => {
  let work: string;
  let index: string;
  let ctx: ReturnType<typeof createToolContext>;
  const reports: IngestReport[] = [];

  beforeAll(async () => {
    work = tempDir('priors-citations-');
    index = path.join(work, 'index');
    const interconnects = path.join(SHARED_DATA, 'interconnects');
    const book = path.join(SHARED_DATA, 'rlhf-book', 'chapters');
    // Full-text only: what is checked here is metadata and attribution, not ranking.
    reports.push(
      await ingest({ roots: [{ path: interconnects, urlTemplate: 'https://www.interconnects.ai/p/{slug}' }], index, embedder: null }),
    );
    reports.push(await ingest({ roots: [{ path: book, book: BOOK, author: 'Nathan Lambert' }], index, embedder: null }));
    reports.push(await ingest({ roots: [], index, embedder: null }));
    ctx = createToolContext({ index, onWarning: () => undefined });
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('holds both roots (217 documents), and a bare ingest keeps them', () => {
    expect(reports.map((r) => r.documents)).toEqual([196, 217, 217]);
    expect(reports[1]).toMatchObject({ added: 21, removed: 0 });
    expect(reports[2]).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: 217, roots: ['interconnects', 'chapters'] });
  });

  it('gives every Interconnects post the canonical URL of the manifest', async () => {
    const manifest = JSON.parse(readFileSync(path.join(SHARED_DATA, 'interconnects.manifest.json'), 'utf8')) as { files: ManifestEntry[] };
    expect(manifest.files).toHaveLength(196);
    const listed = await callTool(listDocumentsTool, ctx, { root: ['interconnects'], limit: 500 });
    const urls = new Map(listed.documents.map((d) => [d.docId, d.url]));
    const wrong = manifest.files.filter((f) => urls.get(f.path) !== f.url).map((f) => `${f.path}: ${urls.get(f.path)} ≠ ${f.url}`);
    expect(wrong).toEqual([]);
  });

  it('types the 21 chapters and cites them with the book title and chapter number; --root limits a search to the book', async () => {
    const chapters = await callTool(listDocumentsTool, ctx, { type: ['chapter'], limit: 500 });
    expect(chapters.total).toBe(21);
    expect(chapters.documents.every((d) => d.root === 'chapters')).toBe(true);
    const cite = await callTool(citeTool, ctx, { docId: 'chapters/01-introduction.md:24', format: 'markdown' });
    expect(cite.citation).toContain(`— Nathan Lambert, *${BOOK}*, ch. 1 "Introduction" (chapters/01-introduction.md:24)`);
    const bib = await callTool(citeTool, ctx, { docId: 'chapters/05-reward-models.md:28', format: 'bibtex' });
    expect(bib.citation).toMatch(/^@incollection\{/);
    expect(bib.citation).toContain('chapter = {5}');
    expect(bib.citation).toContain(`booktitle = {${BOOK}}`);
    // ask's answer names the book of each chapter it lists, in its text and its JSON.
    const ask = await callTool(askTool, ctx, { question: 'reward model over-optimization', root: ['chapters'], documents: 3 });
    expect(ask.documents[0]).toMatchObject({ type: 'chapter', book: BOOK, chapter: '14' });
    expect(askTool.toText(ask)).toMatch(new RegExp(`^1\\. Over-Optimization — ${BOOK}, ch\\. 14\n`));
    const inBook = await callTool(searchTool, ctx, { query: 'reward model', k: 10, root: ['chapters'] });
    expect(inBook.results.length).toBe(10);
    expect(inBook.results.every((r) => r.docId.startsWith('chapters/') && r.type === 'chapter')).toBe(true);
    const podcasts = await callTool(listDocumentsTool, ctx, { type: ['podcast'], limit: 500 });
    expect(podcasts.total).toBe(18);
    expect((await callTool(listDocumentsTool, ctx, { type: ['interview'], limit: 500 })).total).toBe(13);
  });

  it("attributes Ross Taylor's lines to him in both interviews", async () => {
    for (const docId of [ROSS_2024, ROSS_2025]) {
      const hits = await callTool(searchTool, ctx, { query: 'reasoning Galactica', k: 10, speaker: 'Ross Taylor', path: docId });
      expect(hits.results.length, docId).toBeGreaterThan(0);
      for (const r of hits.results) expect(r.speaker, `${docId}:${r.lineStart}`).toBe('Ross Taylor');
    }
    const q = await callTool(quoteTool, ctx, { text: 'For us it was just a risk we decided to take' });
    expect(q.verdict).toBe('verified');
    expect(q.locations[0]).toMatchObject({ docId: ROSS_2024, speaker: 'Ross Taylor', role: 'guest', timestamp: '00:15:07' });
    const cited = await callTool(citeTool, ctx, { quote: 'For us it was just a risk we decided to take', format: 'json' });
    const json = JSON.parse(cited.citation) as { speaker: string; displayQuote: string; quote: string };
    expect(json).toMatchObject({ speaker: 'Ross Taylor', displayQuote: 'For us it was just a risk we decided to take.' });
    expect(json.quote).not.toContain('**Ross Taylor**');
  });

  it('prints ids that cite and get accept, with clean displayText beside the verbatim text', async () => {
    const out = await callTool(searchTool, ctx, { query: 'how I write', k: 5, root: ['interconnects'] });
    for (const r of out.results) {
      const cite = await callTool(citeTool, ctx, { docId: r.citation, format: 'json' });
      expect(JSON.parse(cite.citation)).toMatchObject({ docId: r.docId, lineStart: r.lineStart, lineEnd: r.lineEnd });
      const got = await callTool(getDocumentTool, ctx, { docId: r.citation });
      expect(got.text).toContain(r.text.split('\n')[0]);
      expect(r.displayText).not.toMatch(/\\['"[\]]|:::|\{#footnote/);
    }
    // A unique ending of the id resolves; an ambiguous one lists the candidates.
    const short = await callTool(getDocumentTool, ctx, { docId: '2025/2025-06-06-howiwrite.md:13' });
    expect(short.docId).toBe('interconnects/public/2025/2025-06-06-howiwrite.md');
    await expect(callTool(getDocumentTool, ctx, { docId: 'public' })).rejects.toThrow(/no document/);
  });
});
