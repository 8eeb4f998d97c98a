import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askTool } from '../../src/tools/ask.js';
import { quoteTool, verifyQuote } from '../../src/tools/quote.js';
import { relatedTool } from '../../src/tools/related.js';
import { callTool } from '../../src/tools/tool.js';
import { CORPUS, REPO } from '../helpers/paths.js';
import { buildSampleIndex, sampleContext, TEST_MODEL } from '../helpers/sample-index.js';

/** Transcripts without timestamps and a post with escapes and spaced dashes, beside the sample corpus. */
const DESK = path.join(REPO, 'tests', 'retrieval', 'fixtures', 'desk');
const OKAFOR = 'corpus/posts/2024/2024-05-14-interview-ines-okafor.md';
const ORTIZ = 'desk/2025-03-04-pat-ortiz-on-starters.md';
const LOG = 'desk/2025-05-06-the-log-is-the-product.md';

let ctx: ReturnType<typeof sampleContext>;

beforeAll(async () => {
  const { index } = await buildSampleIndex(TEST_MODEL, [CORPUS, DESK]);
  ctx = sampleContext(index);
});
afterAll(() => ctx.close());

function lineOf(docId: string, words: string): number {
  const file = docId.startsWith('desk/') ? path.join(DESK, docId.slice(5)) : path.join(CORPUS, docId.slice(7));
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(words)) + 1
  );
}

describe('quote verdicts with elisions and speakers', () => {
  it('verifies a remembered guest quote with an elision across her adjacent turns, naming her and the time', async () => {
    // Curly apostrophe, a capital the source has in lower case, and the host's "Yeah." left out between turns.
    const out = await verifyQuote(ctx, {
      text: '“So the model learns to sound like the kind of person who says ninety … the fix we’ve had most luck with is aggregation.”',
    });
    expect(out).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ines Okafor', role: 'guest', timestamp: '00:03:04' });
    const first = lineOf(OKAFOR, 'the kind of person who says ninety');
    const second = lineOf(OKAFOR, 'most luck with is aggregation');
    expect(out.fragments.map((f) => [f.lineStart, f.lineEnd, f.timestamp])).toEqual([
      [first, first, '00:03:04'],
      [second, second, '00:03:17'],
    ]);
    expect(out.fragments[1]?.text).toBe("The fix we've had most luck with is aggregation");
    expect(out.citation).toBe(`${OKAFOR}:${first}-${second}`);
    expect(out.locations[0]?.speakers).toEqual(['Ines Okafor']);
  });

  it('does not splice two speakers into one quote, nor fragments far apart in prose', async () => {
    const spliced = await verifyQuote(ctx, {
      text: 'Ten percent from one hour … Most of it comes from people learning to use the middle of the scale',
    });
    expect(spliced.verdict).not.toMatch(/^verified/);
    const near = await verifyQuote(ctx, {
      text: 'Calibration is one of those words that gets used loosely … happens about 70% of the time',
    });
    expect(near).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Mara Quill', role: 'author' });
    const calibration = readFileSync(path.join(CORPUS, 'posts/2022/2022-11-08-what-calibration-measures.md'), 'utf8');
    const lastSentence = calibration
      .trim()
      .split('\n')
      .pop()!
      .trim()
      .split(/(?<=\.)\s/)[0]!;
    const tooFar = await verifyQuote(ctx, { text: `Calibration is one of those words that gets used loosely … ${lastSentence}` });
    expect(calibration.indexOf(lastSentence)).toBeGreaterThan(2500);
    expect(tooFar.verdict).not.toMatch(/^verified/);
  });

  it('names the speaker of a transcript without timestamps (timestamp null), and verifies "[…]" elisions', async () => {
    const out = await verifyQuote(ctx, { text: 'Populations drift […] the mean hardly moves at all' });
    expect(out).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Pat Ortiz', role: 'guest', timestamp: null });
    expect(out.fragments.map((f) => f.lineStart)).toEqual([lineOf(ORTIZ, 'populations drift'), lineOf(ORTIZ, 'the mean hardly moves')]);
  });

  it('verifies through escapes and an em-dash for " - ", and names the author of prose', async () => {
    const out = await verifyQuote(ctx, { text: 'I’m convinced that the log — not the model — is the product' });
    expect(out).toMatchObject({ verdict: 'verified', speaker: 'Mara Quill', role: 'author', timestamp: null });
    expect(out.fragments).toHaveLength(1);
    expect(out.fragments[0]).toMatchObject({
      lineStart: lineOf(LOG, 'the log - not'),
      text: "I\\'m convinced that the log - not the model - is the product",
    });
  });

  it('calls a quote with a couple of words changed close, and shows them', async () => {
    const out = await verifyQuote(ctx, { text: 'A recipe is a population, not a rule. You choose what you keep feeding' });
    expect(out).toMatchObject({
      verdict: 'close',
      speaker: 'Pat Ortiz',
      citation: `${ORTIZ}:${lineOf(ORTIZ, 'A recipe is a population')}`,
    });
    expect(out.differences).toEqual([
      { quote: 'rule', source: 'formula' },
      { quote: 'choose', source: 'select' },
    ]);
  });

  it('keeps paraphrase and not_found (no speaker when nothing is found)', async () => {
    const para = await callTool(quoteTool, ctx, { text: 'I estimated that open models are roughly a year behind the best closed models' });
    expect(para.verdict).toBe('paraphrase');
    const none = await callTool(quoteTool, ctx, { text: 'Penguins should be trained to audit the tax code of medieval castles.' });
    expect(none).toMatchObject({ verdict: 'not_found', speaker: null, citation: null, fragments: [] });
  });

  it('prints the verdict, the speaker and each fragment', async () => {
    const out = await callTool(quoteTool, ctx, { text: 'Populations drift … the mean hardly moves at all' });
    const text = quoteTool.toText(out);
    expect(text).toMatch(/^VERIFIED WITH ELISIONS/);
    expect(text).toContain('Pat Ortiz (guest)');
    expect(text).toContain(`1. ${ORTIZ}:${lineOf(ORTIZ, 'populations drift')}`);
  });

  it('names the words a close quote left out, changed or added (no dash standing for "nothing")', async () => {
    const out = await callTool(quoteTool, ctx, { text: 'open models are about a year behind the closed ones' });
    expect(out).toMatchObject({ verdict: 'close', differences: [{ quote: '', source: 'best' }] });
    expect(quoteTool.toText(out)).toContain('\n  left out "best"\n');
    const changed = await callTool(quoteTool, ctx, { text: 'A recipe is a population, not a rule. You choose what you keep feeding' });
    expect(quoteTool.toText(changed)).toContain('\n  you have "rule", the archive "formula"\n');
  });
});

describe('one document never shows overlapping passages in one list', () => {
  const shared = (ps: { docId: string; lineStart: number; lineEnd: number }[]) =>
    ps.flatMap((a, i) => ps.slice(i + 1).filter((b) => b.docId === a.docId && a.lineStart <= b.lineEnd && b.lineStart <= a.lineEnd));

  it('ask, related and quote lists share no lines within a document', async () => {
    // The hydration notes are one 2,000-word line: every chunk of it cites that line.
    for (const question of ['sourdough hydration log', 'calibration and forecasting', 'open models behind closed ones']) {
      const ask = await callTool(askTool, ctx, { question, documents: 10, passages: 3 });
      for (const d of ask.documents) expect(shared(d.passages)).toEqual([]);
    }
    const draft = readFileSync(path.join(CORPUS, 'posts/2024/2024-11-12-the-distance-is-narrowing.md'), 'utf8');
    const related = await callTool(relatedTool, ctx, { text: draft, documents: 10, passages: 5 });
    for (const d of related.documents) expect(shared(d.passages)).toEqual([]);
    const hydration = await callTool(askTool, ctx, { question: 'sourdough hydration log', documents: 3, passages: 3 });
    expect(hydration.documents[0]?.docId).toBe('desk/2025-06-10-a-year-of-hydration-notes.md');
    const notes = readFileSync(path.join(DESK, '2025-06-10-a-year-of-hydration-notes.md'), 'utf8');
    const relatedToNotes = await callTool(relatedTool, ctx, { text: notes.split('\n').slice(-2).join('\n'), documents: 3, passages: 5 });
    for (const d of relatedToNotes.documents) expect(shared(d.passages)).toEqual([]);
    const quote = await callTool(quoteTool, ctx, {
      text: 'the hydration log wrote down the flour and the water temperature every week',
      limit: 10,
    });
    expect(shared(quote.locations)).toEqual([]);
  });
});
