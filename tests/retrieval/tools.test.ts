import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkCards } from '../../src/index/chunk-search.js';
import { IndexStore } from '../../src/index/store.js';
import { RELEVANCE_FLOOR } from '../../src/search/grouping.js';
import { askTool } from '../../src/tools/ask.js';
import { citeTool } from '../../src/tools/cite.js';
import { listDocumentsTool } from '../../src/tools/list-documents.js';
import { quoteTool } from '../../src/tools/quote.js';
import { searchTool } from '../../src/tools/search.js';
import { callTool, ToolInputError } from '../../src/tools/tool.js';
import { CORPUS } from '../helpers/paths.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';

let index: string;
let ctx: ReturnType<typeof sampleContext>;
// Ids are `<root>/<path>`: the sample corpus is the root `corpus`.
const YEAR_BEHIND = 'corpus/posts/2023/2023-02-21-how-far-behind-open-models.md';
const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const OKAFOR = 'corpus/posts/2024/2024-05-14-interview-ines-okafor.md';

beforeAll(async () => {
  ({ index } = await buildSampleIndex());
  ctx = sampleContext(index);
});
afterAll(() => ctx.close());

function fileLines(docId: string, lineStart: number, lineEnd: number): string {
  return readFileSync(path.join(CORPUS, docId.replace(/^corpus\//, '')), 'utf8')
    .split('\n')
    .slice(lineStart - 1, lineEnd)
    .join('\n');
}

describe('the index holds exact source text', () => {
  it('every chunk and the passage shown for it equal their file sliced at their offsets, within their lines', async () => {
    const store = await IndexStore.open(index);
    try {
      const rows = await store.read(chunkCards);
      expect(rows.length).toBeGreaterThan(40);
      for (const r of rows) {
        const file = readFileSync(path.join(CORPUS, r.doc_id.replace(/^corpus\//, '')), 'utf8');
        expect(file.slice(r.start, r.end)).toBe(r.text);
        expect(fileLines(r.doc_id, r.line_start, r.line_end)).toContain(r.text);
        expect(file.slice(r.passage_start, r.passage_end)).toBe(r.passage_text);
        expect(fileLines(r.doc_id, r.passage_line_start, r.passage_line_end)).toContain(r.passage_text);
        expect(r.passage_text).toContain(r.text);
      }
    } finally {
      store.close();
    }
  });

  it('a search lists passages that are exact text at their cited lines', async () => {
    const out = await callTool(searchTool, ctx, { query: 'reward model preference data', k: 10 });
    expect(out.results.length).toBe(10);
    for (const r of out.results) expect(fileLines(r.docId, r.lineStart, r.lineEnd)).toContain(r.text);
  });
});

describe('ask (offline)', () => {
  it('lists the calibration post first-page with verbatim, cited passages', async () => {
    const out = await callTool(askTool, ctx, { question: 'prior posts on calibration' });
    expect(out.documents.length).toBeGreaterThanOrEqual(2);
    expect(out.documents.slice(0, 3).map((d) => d.docId)).toContain(CALIBRATION);
    for (const d of out.documents) {
      expect(d.passages.length).toBeGreaterThanOrEqual(1);
      expect(d.passages.length).toBeLessThanOrEqual(3);
      for (const p of d.passages) expect(fileLines(p.docId, p.lineStart, p.lineEnd)).toContain(p.text);
    }
  });

  it('leaves out documents far weaker than the best one, by the floor the timeline uses', async () => {
    const wide = await callTool(askTool, ctx, { question: 'prior posts on calibration', documents: 30 });
    // The floor is on each document's best passage (a document's own score adds up all its passages).
    const best = wide.documents.map((d) => d.passages[0]!.score);
    for (const b of best) expect(b).toBeGreaterThanOrEqual(Math.max(...best) * RELEVANCE_FLOOR);
    // The README's first command: every document listed says something about calibration.
    for (const d of wide.documents) {
      expect(readFileSync(path.join(CORPUS, d.docId.replace(/^corpus\//, '')), 'utf8')).toMatch(/calibrat/i);
    }
  });
});

describe('search', () => {
  it('finds the "year behind" passage and returns the JSON contract', async () => {
    const out = await callTool(searchTool, ctx, { query: 'where did I say open models are a year behind?', k: 5 });
    expect(out.results[0]?.docId).toBe(YEAR_BEHIND);
    const keys = ['docId', 'title', 'date', 'url', 'type', 'section', 'speaker', 'timestamp', 'lineStart', 'lineEnd', 'score', 'text'];
    for (const k of keys) expect(out.results[0]).toHaveProperty(k);
  });

  it('applies date, type, tag, path and speaker filters', async () => {
    const since = await callTool(searchTool, ctx, { query: 'evaluation', k: 20, since: '2024' });
    expect(since.results.length).toBeGreaterThan(0);
    for (const r of since.results) expect(r.date! >= '2024-01-01').toBe(true);
    const until = await callTool(searchTool, ctx, { query: 'evaluation', k: 20, until: '2023-06' });
    for (const r of until.results) expect(r.date! <= '2023-06-31').toBe(true);
    const interviews = await callTool(searchTool, ctx, { query: 'calibration', k: 20, type: ['interview'] });
    expect(interviews.results.length).toBeGreaterThan(0);
    for (const r of interviews.results) expect(r.type).toBe('interview');
    const speaker = await callTool(searchTool, ctx, { query: 'calibration', k: 10, speaker: 'mara' });
    expect(speaker.results.length).toBeGreaterThan(0);
    for (const r of speaker.results) expect(r.speaker).toMatch(/Mara/);
    const paths = await callTool(searchTool, ctx, { query: 'models', k: 10, path: 'posts/2025/**' });
    expect(paths.results.length).toBeGreaterThan(0);
    for (const r of paths.results) expect(r.docId.startsWith('corpus/posts/2025/')).toBe(true);
    const byId = await callTool(searchTool, ctx, { query: 'models', k: 10, path: 'corpus/posts/2025/**' });
    expect(byId.results.map((r) => r.docId)).toEqual(paths.results.map((r) => r.docId));
    expect((await callTool(searchTool, ctx, { query: 'models', k: 10, root: ['corpus'] })).results.length).toBeGreaterThan(0);
    // A root or type the index lacks is a usage error listing the valid ones, not a silent empty answer.
    await expect(callTool(searchTool, ctx, { query: 'models', k: 10, root: ['elsewhere'] })).rejects.toThrow(
      'no root "elsewhere" in this index; its roots: corpus',
    );
    await expect(callTool(askTool, ctx, { question: 'models', type: ['podcats'] })).rejects.toThrow(
      /no document type "podcats" in this index; types: post, interview, chapter, transcript, record, text/,
    );
    await expect(callTool(listDocumentsTool, ctx, { root: ['elsewhere'] })).rejects.toThrow(/its roots: corpus/);
    const tagged = await callTool(searchTool, ctx, { query: 'models', k: 10, tag: ['rlhf'] });
    expect(tagged.results.length).toBeGreaterThan(0);
  });

  it('shows the scores it ranks by: documents by their documentScore (grouped search) or score (ask)', async () => {
    let laterPassageHigher = false;
    for (const query of ['reward model', 'calibration', 'open models', 'evaluation', 'the first time I wrote about RLHF']) {
      const grouped = await callTool(searchTool, ctx, { query, k: 20, group: 'document' });
      const docs: { docId: string; documentScore: number; scores: number[] }[] = [];
      for (const r of grouped.results) {
        expect(r.documentScore, query).toBeTypeOf('number');
        const last = docs.at(-1);
        if (last?.docId === r.docId) last.scores.push(r.score);
        else docs.push({ docId: r.docId, documentScore: r.documentScore!, scores: [r.score] });
      }
      // Each document once, documents by their score, a document's passages by theirs.
      expect(new Set(docs.map((d) => d.docId)).size, query).toBe(docs.length);
      for (let i = 1; i < docs.length; i++) expect(docs[i]!.documentScore, query).toBeLessThanOrEqual(docs[i - 1]!.documentScore);
      for (const d of docs) expect(d.scores, query).toEqual([...d.scores].sort((a, b) => b - a));
      laterPassageHigher ||= docs.some((d, i) => i > 0 && d.scores[0]! > docs[i - 1]!.scores[0]!);
      const ask = await callTool(askTool, ctx, { question: query, documents: 10 });
      const scores = ask.documents.map((d) => d.score);
      expect(scores, query).toEqual([...scores].sort((a, b) => b - a));
      // A flat search carries no documentScore: its order is the passages', document by document.
      expect((await callTool(searchTool, ctx, { query, k: 5 })).results[0]).not.toHaveProperty('documentScore');
    }
    // What made the passage scores alone look out of order: a document ranked below another with a stronger best passage.
    expect(laterPassageHigher).toBe(true);
  });

  it('groups by document and collapses repeated boilerplate', async () => {
    const grouped = await callTool(searchTool, ctx, { query: 'reward model', k: 9, group: 'document', perDoc: 2 });
    const counts = new Map<string, number>();
    for (const r of grouped.results) counts.set(r.docId, (counts.get(r.docId) ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeLessThanOrEqual(2);
    const footer = await callTool(searchTool, ctx, { query: 'Thanks for reading Field Notes! Subscribe for free', k: 10 });
    const texts = footer.results.map((r) => r.text.trim().toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('reads cues in the request: "first" → earlier posts, "podcast" → an interview, a name → that speaker', async () => {
    // RLHF is the topic of a 2023 and a 2025 post; "first" puts the older one ahead.
    const plainRlhf = await callTool(searchTool, ctx, { query: 'RLHF', k: 5 });
    expect(plainRlhf.results[0]?.docId).toBe('corpus/posts/2025/2025-09-09-rlhf-three-years-later.md');
    const first = await callTool(searchTool, ctx, { query: 'the first time I wrote about RLHF', k: 5 });
    expect(first.results[0]?.docId).toBe('corpus/posts/2023/2023-09-19-over-optimising-the-reward-model.md');
    const podcast = await callTool(searchTool, ctx, { query: 'the podcast conversation about calibration', k: 5 });
    expect(podcast.results[0]?.docId).toBe(OKAFOR);
    const plain = await callTool(searchTool, ctx, { query: 'calibration', k: 5 });
    expect(plain.results[0]?.docId).toBe(CALIBRATION);
    // Naming a speaker lifts their turns (the name itself is not matched: turns rarely contain it).
    const firstTurn = async (query: string) => {
      const at = (await callTool(searchTool, ctx, { query, k: 40 })).results.findIndex((r) => r.speaker === 'Ines Okafor');
      return at < 0 ? Infinity : at;
    };
    const named = await firstTurn('where Okafor said calibration matters');
    expect(named).toBeLessThan(5);
    expect(named).toBeLessThan(await firstTurn('calibration matters'));
  });

  it('never lists two overlapping passages of one document, searching one phrasing or several', async () => {
    const single = await callTool(searchTool, ctx, { query: 'reward model preference data', k: 30 });
    // Alternative phrasings find neighbouring chunks of the same posts; fused, they must still not overlap.
    const fused = await callTool(searchTool, ctx, {
      query: 'reward model preference data',
      queries: ['preference pairs for training a reward model', 'labelled comparisons of model outputs'],
      k: 30,
    });
    for (const out of [single, fused]) {
      expect(out.results.length).toBe(30);
      out.results.forEach((a, i) => {
        for (const b of out.results.slice(i + 1)) {
          if (a.docId === b.docId) expect(a.lineEnd < b.lineStart || b.lineEnd < a.lineStart).toBe(true);
        }
      });
    }
  });

  it('every mode works', async () => {
    for (const mode of ['hybrid', 'bm25', 'vector'] as const) {
      const out = await callTool(searchTool, ctx, { query: 'benchmark contamination', k: 3, mode });
      expect(out.mode).toBe(mode);
      expect(out.results.length).toBe(3);
    }
  });

  it('rejects bad input with a message naming the field', async () => {
    await expect(callTool(searchTool, ctx, { query: '   ' })).rejects.toThrow(/query: the query is empty/);
    await expect(callTool(searchTool, ctx, { query: 'x', k: 0 })).rejects.toThrow(ToolInputError);
    await expect(callTool(searchTool, ctx, { query: 'x', since: 'last year' })).rejects.toThrow(/since/);
    await expect(callTool(searchTool, ctx, { query: 'x', bogus: 1 })).rejects.toThrow(/bogus/);
  });
});

describe('quote', () => {
  it('verifies a verbatim quote despite case, curly quotes and spacing, with its lines', async () => {
    const out = await callTool(quoteTool, ctx, {
      text: 'my working   estimate is that open models are about a year behind the best closed ones',
    });
    expect(out.verdict).toBe('verified');
    expect(out.locations[0]).toMatchObject({ docId: YEAR_BEHIND, lineStart: 15 });
    const loc = out.locations[0]!;
    expect(fileLines(loc.docId, loc.lineStart, loc.lineEnd)).toContain(loc.text);
  });

  it('verifies the interview line about mental effort', async () => {
    const out = await callTool(quoteTool, ctx, {
      text: 'The best research tool I can imagine is one that makes checking my own past claims take less mental effort than trusting my memory of them.',
    });
    expect(out.verdict).toBe('verified');
    expect(out.locations[0]?.docId).toBe(OKAFOR);
  });

  it('calls a misremembered quote a paraphrase and shows the real passage', async () => {
    const out = await callTool(quoteTool, ctx, { text: 'I estimated that open models are roughly a year behind the best closed models' });
    expect(out.verdict).toBe('paraphrase');
    expect(out.locations[0]?.docId).toBe(YEAR_BEHIND);
    const loc = out.locations[0]!;
    expect(fileLines(loc.docId, loc.lineStart, loc.lineEnd)).toContain(loc.text);
  });

  it('says not found for something never written', async () => {
    const out = await callTool(quoteTool, ctx, { text: 'Penguins should be trained to audit the tax code of medieval castles.' });
    expect(out.verdict).toBe('not_found');
  });
});

describe('cite', () => {
  it('quotes the exact lines in every format', async () => {
    const expected = fileLines(YEAR_BEHIND, 15, 15);
    const md = await callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 15, lineEnd: 15, format: 'markdown' });
    expect(md.citation).toContain(expected.slice(0, 40));
    expect(md.citation).toContain('How far behind are open models?');
    expect(md.citation).toContain(`${YEAR_BEHIND}:15`);
    const foot = await callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 15, format: 'footnote' });
    expect(foot.citation).toMatch(/\[\^[^\]]+\]:/);
    const plain = await callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 15, format: 'plain' });
    expect(plain.citation).toContain('fieldnotes.example.com');
    const json = await callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 15, format: 'json' });
    expect(JSON.parse(json.citation)).toMatchObject({ docId: YEAR_BEHIND, lineStart: 15, lineEnd: 15, quote: expected });
  });

  it('refuses unknown documents and out-of-range lines', async () => {
    await expect(callTool(citeTool, ctx, { docId: 'posts/nope.md' })).rejects.toThrow(/no document "posts\/nope.md"/);
  });

  it('accepts the printed docId:lines, a unique ending of the id, and a sentence', async () => {
    const printed = await callTool(citeTool, ctx, { docId: `${YEAR_BEHIND}:15`, format: 'json' });
    expect(JSON.parse(printed.citation)).toMatchObject({ docId: YEAR_BEHIND, lineStart: 15, lineEnd: 15 });
    const short = await callTool(citeTool, ctx, { docId: '2023/2023-02-21-how-far-behind-open-models.md:15', format: 'json' });
    expect(JSON.parse(short.citation)).toMatchObject({ docId: YEAR_BEHIND, lineStart: 15 });
    await expect(callTool(citeTool, ctx, { docId: 'md' })).rejects.toThrow(/no document/);
    const sentence = await callTool(citeTool, ctx, { quote: 'open models are about a year behind the best closed ones', format: 'json' });
    const cited = JSON.parse(sentence.citation) as { docId: string; lineStart: number; quote: string };
    expect(cited).toMatchObject({ docId: YEAR_BEHIND, lineStart: 15 });
    // Just the sentence, not the whole paragraph of line 15.
    expect(fileLines(YEAR_BEHIND, 15, 15)).toContain(cited.quote);
    expect(cited.quote.length).toBeLessThan(fileLines(YEAR_BEHIND, 15, 15).length);
    expect(cited.quote).toMatch(/year behind the best closed ones.*[.!?]$/);
    await expect(callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 9999 })).rejects.toThrow(/outside/);
    await expect(callTool(citeTool, ctx, { docId: YEAR_BEHIND, lineStart: 5, lineEnd: 3 })).rejects.toThrow(/lineEnd/);
  });

  it('cites an elided quote from the sentence of its first fragment to that of its last, in the voice of the guest', async () => {
    // The host's "Yeah." between the guest's two turns is what the elision leaves out.
    const quote = 'So the model learns to sound like the kind of person who says ninety … the fix we’ve had most luck with is aggregation';
    const first =
      fileLines(OKAFOR, 1, 200)
        .split('\n')
        .findIndex((l) => l.includes('the kind of person who says ninety')) + 1;
    const second =
      fileLines(OKAFOR, 1, 200)
        .split('\n')
        .findIndex((l) => l.includes('most luck with is aggregation')) + 1;
    for (const input of [{ quote }, { quote, docId: OKAFOR }]) {
      const out = await callTool(citeTool, ctx, { ...input, format: 'json' });
      expect(out.verdict).toBe('verified_with_elisions');
      expect(out.fragments.map((f) => f.citation)).toEqual([`${OKAFOR}:${first}`, `${OKAFOR}:${second}`]);
      const cited = JSON.parse(out.citation) as Record<string, unknown> & { quote: string };
      expect(cited).toMatchObject({
        docId: OKAFOR,
        lineStart: first,
        lineEnd: second,
        speaker: 'Ines Okafor',
        timestamp: '00:03:04',
        displayQuote:
          "People reward answers that sound decisive, so the model learns to sound like the kind of person who says ninety … The fix we've had most luck with is aggregation.",
      });
      // The verbatim source of the whole span, the left-out turn included.
      expect(fileLines(OKAFOR, first, second)).toContain(cited.quote);
      expect(cited.quote).toMatch(/^People reward[\s\S]*Yeah\.[\s\S]*aggregation\.$/);
    }
    const md = await callTool(citeTool, ctx, { quote, format: 'markdown' });
    expect(md.citation).toContain('> People reward answers that sound decisive');
    expect(md.citation).not.toContain('Yeah');
    expect(citeTool.toText(md)).toContain(`(verified with elisions: ${OKAFOR}:${first} … ${OKAFOR}:${second})`);
    // A verbatim sentence keeps the plain verdict; a spliced or reworded quote is refused with the quote verdict.
    expect((await callTool(citeTool, ctx, { quote: 'open models are about a year behind the best closed ones' })).verdict).toBe('verified');
    await expect(
      callTool(citeTool, ctx, {
        quote: 'Ten percent from one hour … Most of it comes from people learning to use the middle of the scale',
      }),
    ).rejects.toThrow(/not in the archive verbatim or with elisions \(quote: (close|paraphrase|not_found)\)/);
    await expect(
      callTool(citeTool, ctx, { quote: 'the kind of person who says ninety … reward answers that sound decisive', docId: OKAFOR }),
    ).rejects.toThrow(/is not in corpus\/posts\/2024\/2024-05-14-interview-ines-okafor\.md verbatim or with elisions/);
  });
});
