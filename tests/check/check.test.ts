/**
 * `priors check` on the sample corpus: every kind of finding on a draft written one paragraph per line, the
 * markdown rendering, the bounds on a huge draft, and the CLI and HTTP front ends.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTool, type CheckOutput } from '../../src/tools/check.js';
import { createToolContext } from '../../src/tools/context.js';
import { verifyQuote } from '../../src/tools/quote.js';
import { relatedTool } from '../../src/tools/related.js';
import { callTool } from '../../src/tools/tool.js';
import { startTestServer } from '../server/server-fixture.js';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex, sampleContext, TEST_MODEL, tempDir } from '../helpers/sample-index.js';

const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const OVER_OPTIMISING = 'corpus/posts/2023/2023-09-19-over-optimising-the-reward-model.md';
const INES = 'corpus/posts/2024/2024-05-14-interview-ines-okafor.md';
const DEVIKA = 'corpus/posts/2025/2025-04-22-interview-devika-raman.md';
const VIBES = 'corpus/posts/2024/2024-01-30-vibes-are-data-too.md';

/** Written the way an author drafts: a title line, then one paragraph per line, single newlines. */
const DRAFT = [
  '# Forecasts as evals, again',
  'Last year I kept returning to the question of what calibration actually measures, and I still think the answer matters more for tools than for leaderboards.',
  'Ines Okafor made the case for forecasting questions better than I can: “They can’t be in the training data, because the answer didn’t exist when the model was trained.” That is the property every static benchmark lacks.',
  'I saw the same shape in reward models. In our runs, the turnover came when the policy had drifted about 6-10 nats of KL divergence from the starting model.',
  'My [piece on vibes](https://fieldnotes.example.com/p/vibes-are-data-too/) argued that informal judgments are data too, and an old note at https://fieldnotes.example.com/p/forecasting-notes-2021 has more (see also https://example.org/elsewhere).',
  'When I talked about open models in my Devika Raman interview, the recurring worry was whether anyone outside a lab can afford to evaluate them properly.',
].join('\n');

let index: string;
let ctx: ReturnType<typeof sampleContext>;
let out: CheckOutput;

beforeAll(async () => {
  ({ index } = await buildSampleIndex());
  ctx = sampleContext(index);
  out = await callTool(checkTool, ctx, { text: DRAFT });
});
afterAll(() => ctx?.close());

const para = (n: number) => out.paragraphs.find((p) => p.paragraph === n)!;

describe('check: a draft against the sample archive', () => {
  it('finds one paragraph per line and probes every paragraph that says something', () => {
    expect(out.paragraphs.map((p) => [p.paragraph, p.kind, p.lineStart])).toEqual([
      [1, 'heading', 1],
      [2, 'paragraph', 2],
      [3, 'paragraph', 3],
      [4, 'paragraph', 4],
      [5, 'paragraph', 5],
      [6, 'paragraph', 6],
    ]);
    expect(out.draft).toMatchObject({ paragraphs: 6, probes: 5, notice: null, path: null });
    for (const n of [2, 3, 4, 5, 6]) expect(para(n).related.length, `¶${n}`).toBeGreaterThan(0);
    expect(para(2).related[0]).toMatchObject({
      docId: expect.any(String),
      citation: expect.stringMatching(/:\d+/),
      url: expect.any(String),
    });
  });

  it('resolves a title named in prose, a "my … interview" and links to own URLs; flags an unknown own URL', () => {
    expect(para(2).mentions).toEqual([expect.objectContaining({ kind: 'title', status: 'resolved', docId: CALIBRATION, linked: false })]);
    expect(para(2).mentions[0]!.anchor.text).toBe('what calibration actually measures');
    expect(para(6).mentions).toEqual([
      expect.objectContaining({
        kind: 'cue',
        status: 'resolved',
        docId: DEVIKA,
        url: 'https://fieldnotes.example.com/p/interview-devika-raman',
      }),
    ]);
    expect(para(6).mentions[0]!.anchor.text).toBe('Devika Raman interview');
    const links = para(5).mentions;
    expect(links.map((m) => [m.kind, m.status, m.docId])).toEqual([
      ['link', 'resolved', VIBES],
      ['link', 'unknown_link', null],
    ]);
    expect(links[1]!.text).toBe('https://fieldnotes.example.com/p/forecasting-notes-2021');
  });

  it('verifies a quote and names its speaker', () => {
    const [q] = para(3).quotes;
    expect(q).toMatchObject({ kind: 'inline', verdict: 'verified' });
    expect(q!.result.locations[0]).toMatchObject({
      docId: INES,
      speaker: 'Ines Okafor',
      role: 'guest',
      timestamp: '00:03:42',
      lineStart: 59,
    });
  });

  it('finds a sentence that repeats earlier writing nearly word for word, and where', () => {
    const [o] = para(4).overlaps;
    expect(o).toBeDefined();
    expect(o!.sentence).toMatch(/^In our runs, the turnover came/);
    expect(o!.similarity).toBeGreaterThanOrEqual(0.85);
    expect(o!.where).toMatchObject({ docId: OVER_OPTIMISING, lineStart: 23, lineEnd: 23, citation: `${OVER_OPTIMISING}:23` });
    // The quote in ¶3 is the guest's words on purpose: not reported as self-overlap.
    expect(para(3).overlaps).toEqual([]);
  });

  it('ranks named and quoted documents high over the whole draft, and suggests links for what is named but not linked', () => {
    const top = out.documents.slice(0, 5).map((d) => d.docId);
    expect(top).toEqual(expect.arrayContaining([CALIBRATION, INES, DEVIKA]));
    expect(out.documents.find((d) => d.docId === INES)).toMatchObject({ quoted: true });
    expect(out.documents.find((d) => d.docId === VIBES)).toMatchObject({ named: true, linked: true });
    const named = out.linksToAdd.filter((l) => l.reason === 'named');
    expect(named.map((l) => [l.paragraph, l.docId])).toEqual([
      [2, CALIBRATION],
      [6, DEVIKA],
    ]);
    expect(named[0]!.markdown).toBe('[What calibration actually measures](https://fieldnotes.example.com/p/what-calibration-measures)');
  });

  it('the terminal report names every finding', () => {
    const text = checkTool.toText(out);
    expect(text).toContain('Prior writing this draft draws on:');
    expect(text).toContain('names: What calibration actually measures');
    expect(text).toMatch(/quote "They can’t be in the training data.*": VERIFIED — Ines Okafor \(guest\) at 00:03:42/);
    expect(text).toContain('! link to your site that no indexed document has: https://fieldnotes.example.com/p/forecasting-notes-2021');
    expect(text).toMatch(/repeats \((?:same words|similarity 0\.\d+)\): "In our runs/);
    expect(text).toContain('Links to add:');
  });
});

describe('check: who the draft credits with a quote', () => {
  /** The host's words credited to the guest, the host's own words as "I told", and the guest's words credited to her. */
  const ATTRIBUTED = [
    '# Trusting tools',
    "As Ines Okafor put it, “Otherwise I end up checking everything, and the tool hasn't saved me any work.” That is the bar.",
    'As I told Ines Okafor, “That matches what I saw with instruction-tuned models back in 2022.” It still does.',
    '“Mostly by accident. I was doing survey research, and we kept asking experts to predict things,” Ines Okafor told me.',
  ].join('\n');
  let checked: CheckOutput;
  beforeAll(async () => {
    checked = await callTool(checkTool, ctx, { text: ATTRIBUTED });
  });
  const quote = (n: number) => checked.paragraphs.find((p) => p.paragraph === n)!.quotes[0]!;

  it("flags the host's words credited to the guest, in JSON, the report and the markdown footnote", async () => {
    expect(quote(2)).toMatchObject({ verdict: 'verified', result: { speaker: 'Mara Quill', role: 'host' } });
    expect(quote(2).attribution).toEqual({ drafted: 'Ines Okafor', speaker: 'Mara Quill', role: 'host', matches: false });
    const wrong = 'misattributed: the draft credits Ines Okafor, the archive has these words from Mara Quill (host)';
    expect(checkTool.toText(checked)).toContain(`! ${wrong}`);
    const md = await callTool(checkTool, ctx, { text: ATTRIBUTED, format: 'markdown' });
    expect(md.markdown).toMatch(/\[\^priors-1\]: VERIFIED: Mara Quill \(host\) at 00:01:42, .* — \*\*misattributed: /);
    expect(md.markdown).toContain(`**${wrong}**`);
  });

  it('a right attribution, by name or as "I", is no finding', () => {
    expect(quote(3).attribution).toEqual({ drafted: 'I', speaker: 'Mara Quill', role: 'host', matches: true });
    expect(quote(4).attribution).toEqual({ drafted: 'Ines Okafor', speaker: 'Ines Okafor', role: 'guest', matches: true });
    expect(checkTool.toText(checked).match(/misattributed/g)).toHaveLength(1);
  });

  it("names nobody, credits nobody: the main draft's quote has no attribution", () => {
    expect(para(3).quotes[0]!.attribution).toBeNull();
  });
});

describe('check --format markdown', () => {
  it('prints the draft with the named posts linked and footnotes for quote, overlap and unknown link, and never edits the file', async () => {
    const file = path.join(tempDir(), 'draft.md');
    writeFileSync(file, DRAFT);
    // The CLI's context: the user named the file.
    const local = createToolContext({ index, modelDir: MODEL_DIR, onWarning: () => undefined, fileAccess: 'any' });
    const md = await callTool(checkTool, local, { path: file, format: 'markdown' }).finally(() => local.close());
    expect(readFileSync(file, 'utf8')).toBe(DRAFT);
    const text = md.markdown!;
    expect(checkTool.toText(md)).toBe(text);
    expect(text).toContain(
      'the question of [what calibration actually measures](https://fieldnotes.example.com/p/what-calibration-measures), and',
    );
    expect(text).toContain('my [Devika Raman interview](https://fieldnotes.example.com/p/interview-devika-raman)');
    expect(text).toMatch(/was trained\.”\[\^priors-1\]/);
    expect(text).toMatch(/\[\^priors-1\]: VERIFIED: Ines Okafor \(guest\) at 00:03:42, \[Ines Okafor on forecasting/);
    expect(text).toMatch(
      /\[\^priors-\d\]: Repeats \[Over-optimising the reward model\]\(https:\/\/fieldnotes\.example\.com\/p\/over-optimising-the-reward-model\) nearly word for word/,
    );
    expect(text).toMatch(/forecasting-notes-2021\[\^priors-\d\]/);
    // Everything else is the draft as written.
    expect(
      text
        .replace(/\[\^priors-\d+\]/g, '')
        .replace(/\[([^\]]+)\]\(https:\/\/fieldnotes\.example\.com\/p\/(?:what-calibration-measures|interview-devika-raman)\)/g, '$1')
        .split('\n\n')[0],
    ).toBe(DRAFT);
  });
});

describe('check bounds and front ends', () => {
  it('a huge draft is checked in bounded time, with a one-line notice of how far', async () => {
    const lines = Array.from(
      { length: 1_500 },
      (_, i) => `Line ${i} of a very long draft about reward models, calibration, open models and evaluation number ${i}.`,
    );
    const started = Date.now();
    const big = await callTool(checkTool, ctx, { text: lines.join('\n') });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(big.draft.probes).toBe(150);
    expect(big.draft.notice).toMatch(/^checked the first 150 searches' worth of the draft \(up to character [\d,]+ of [\d,]+\)/);
    expect(big.paragraphs.length).toBe(150);
  });

  it('related probes every line of a one-paragraph-per-line draft (the shared splitter)', async () => {
    const r = await callTool(relatedTool, ctx, { text: DRAFT, documents: 10, passages: 5 });
    const excerpts = new Set(r.documents.flatMap((d) => d.passages.map((p) => p.draftExcerpt.slice(0, 20))));
    expect(excerpts.size).toBeGreaterThanOrEqual(3);
  });

  it('CLI: a file, stdin or --text; a mistyped path is an error, not text', () => {
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, [CLI, 'check', ...args, '--index', index], {
        encoding: 'utf8',
        input,
        env: { ...process.env, PRIORS_MODEL_DIR: MODEL_DIR, NO_COLOR: '1' },
      });
    const file = path.join(tempDir(), 'draft.md');
    writeFileSync(file, DRAFT);
    const fromFile = run([file, '--json']);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect((JSON.parse(fromFile.stdout) as CheckOutput).draft.path).toBe(file);
    const fromStdin = run(['-', '--json'], DRAFT);
    expect((JSON.parse(fromStdin.stdout) as CheckOutput).paragraphs).toHaveLength(6);
    const fromText = run([DRAFT, '--text']);
    expect(fromText.status).toBe(0);
    expect(fromText.stdout).toContain('Links to add:');
    const typo = run([`${file}x`]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe(`error: check: no file ${file}x (to use these words as the draft, add --text)\n`);
  });

  it('HTTP: POST /api/check takes text (never a path) and returns the same report', async () => {
    const server = await startTestServer(ctx);
    try {
      const res = await fetch(`${server.url}/api/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: DRAFT, format: 'markdown' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as CheckOutput;
      expect(body.linksToAdd.map((l) => l.docId)).toEqual(out.linksToAdd.map((l) => l.docId));
      expect(body.markdown).toContain('[^priors-1]');
      const refused = await fetch(`${server.url}/api/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/etc/passwd' }),
      });
      expect(refused.status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe('check: a draft that is itself indexed', () => {
  it('leaves its own document out of quotes and repeated sentences, also once edited since the ingest', async () => {
    const root = path.join(tempDir(), 'notes');
    mkdirSync(root);
    writeFileSync(path.join(root, 'ledger.md'), '# Ledger\n\nA ledger keeps what a team promised and what it shipped, line by line.\n');
    const quote = 'Penguins audit the tax code of medieval castles every spring, and never miss one';
    const sentence = 'The quiet ledger of the glacier keeps every promise the mountain ever made to the valley below.';
    const draft = path.join(root, 'draft.md');
    writeFileSync(draft, `# Draft\n\nAs a friend once told me: “${quote}.” I still think about it.\n\n${sentence}\n`);
    const { index: own } = await buildSampleIndex(TEST_MODEL, [root]);
    // Edited after the ingest: the index holds an older version of the same file.
    appendFileSync(draft, '\nA new closing paragraph, written after the last ingest, about ledgers and glaciers.\n');
    const local = createToolContext({ index: own, modelDir: MODEL_DIR, onWarning: () => undefined, fileAccess: 'any' });
    try {
      // What the checker must not do: the draft's indexed copy vouches for its own quote.
      expect((await verifyQuote(local, { text: quote })).verdict).toBe('verified');
      const report = await callTool(checkTool, local, { path: draft });
      expect(report.excluded).toEqual(['notes/draft.md']);
      const quotes = report.paragraphs.flatMap((p) => p.quotes);
      expect(quotes.map((q) => q.text)).toEqual([`${quote}.`]);
      expect(quotes[0]?.verdict).toBe('not_found');
      expect(report.paragraphs.flatMap((p) => p.overlaps)).toEqual([]);
      expect(report.documents.map((d) => d.docId)).not.toContain('notes/draft.md');
    } finally {
      local.close();
    }
  });
});

describe('check: "my post on <topic>" that no title matches', () => {
  it('suggests the post that a search of the posts finds, labelled as a suggestion, not a match', async () => {
    const draft = 'As my post on why hindsight quietly rewrites what you expected before an experiment argued, write the guess down first.';
    const report = await callTool(checkTool, ctx, { text: draft, format: 'markdown' });
    const [mention] = report.paragraphs.flatMap((p) => p.mentions);
    expect(mention).toMatchObject({
      kind: 'cue',
      status: 'unresolved',
      docId: null,
      suggestion: {
        query: 'why hindsight quietly rewrites what you expected before an experiment argued',
        docId: 'corpus/posts/2022/2022-03-15-keep-a-research-log.md',
        citation: expect.stringMatching(/^corpus\/posts\/2022\/2022-03-15-keep-a-research-log\.md:\d+/),
      },
    });
    // A suggestion is no mention: it adds no link and does not count the post as named.
    expect(report.linksToAdd.filter((l) => l.reason === 'named')).toEqual([]);
    expect(report.documents.find((d) => d.docId === mention?.suggestion?.docId)?.named ?? false).toBe(false);
    expect(report.markdown).toMatch(
      /No title of yours matches; a search of your posts suggests \[Keep a research log, not a lab notebook\]\(https:\/\/fieldnotes\.example\.com\/p\/keep-a-research-log\)/,
    );
    const text = checkTool.toText({ ...report, markdown: null });
    expect(text).toContain('names your own work, but no title matched');
    expect(text).toMatch(
      /suggestion \(a search of your posts for "why hindsight .*", not a certain match\): Keep a research log, not a lab notebook/,
    );
  });
});
