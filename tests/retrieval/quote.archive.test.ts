import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { askTool } from '../../src/tools/ask.js';
import { createToolContext } from '../../src/tools/context.js';
import { verifyQuote } from '../../src/tools/quote.js';
import { callTool } from '../../src/tools/tool.js';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';

const ROSS_2024 = 'interconnects/public/2024/2024-08-08-interviewingrosstayloronllmreasoningllamafine-tuni.md';
const RILEY = 'interconnects/public/2024/2024-09-30-interviewingrileygoodsideonthescienceofprompting.md';

/** The "done when" for quotes, on the real interviews (full-text index: what is checked is matching and attribution). */
describe.skipIf(!has('sharedData'))('quotes with elisions on the real archive', { timeout: 120_000 }, () => {
  let work: string;
  let ctx: ReturnType<typeof createToolContext>;

  beforeAll(async () => {
    work = tempDir('priors-quotes-');
    const index = path.join(work, 'index');
    const root = {
      path: path.join(SHARED_DATA, 'interconnects'),
      urlTemplate: 'https://www.interconnects.ai/p/{slug}',
      author: 'Nathan Lambert',
    };
    await ingest({ roots: [root], index, embedder: null });
    ctx = createToolContext({ index, onWarning: () => undefined });
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a remembered guest quote (curly quotes, em-dash for " - ", a capital, `\\\'` escapes) is verified_with_elisions, spoken by the guest', async () => {
    const out = await verifyQuote(ctx, {
      text: '“I was from a sports betting / quant finance kind of background … thinking of these stupid questions like ‘What is the Git equivalent for ML?’ — that kind of stuff. … I’m trying to reproduce this paper, but I can’t find the code.”',
    });
    expect(out).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ross Taylor', role: 'guest', timestamp: '00:02:12' });
    expect(out.fragments.map((f) => f.citation)).toEqual([`${ROSS_2024}:96`, `${ROSS_2024}:96`, `${ROSS_2024}:96`]);
    expect(out.locations[0]?.url).toBe('https://www.interconnects.ai/p/interviewing-ross-taylor-on-llm-reasoning');
  });

  it("joins a guest's adjacent turns across the host's question, each fragment with its own time", async () => {
    const out = await verifyQuote(ctx, {
      text: 'The open ecosystem has shifted to focus more on weights as a central artifact rather than code … so essentially Papers with Code was the thing that didn’t die for us',
    });
    expect(out).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ross Taylor', citation: `${ROSS_2024}:104-108` });
    expect(out.fragments.map((f) => f.timestamp)).toEqual(['00:03:38', '00:04:12']);
  });

  it('names the guest behind a short label and non-breaking spaces, and calls a changed word close', async () => {
    const out = await verifyQuote(ctx, {
      text: 'the release of ChatGPT was probably the biggest event in the history of prompt engineering',
    });
    expect(out).toMatchObject({
      verdict: 'close',
      speaker: 'Riley Goodside',
      role: 'guest',
      timestamp: '00:07:54',
      citation: `${RILEY}:104`,
    });
    expect(out.differences).toEqual([{ quote: '', source: 'single' }]);
  });

  it('ask lists no two passages of one document that share a line', async () => {
    for (const question of ['open models', 'RLHF', 'reasoning models and inference time compute', 'Chinese open models']) {
      const out = await callTool(askTool, ctx, { question, documents: 10, passages: 3 });
      for (const d of out.documents) {
        const ps = d.passages;
        const shared = ps.flatMap((a, i) => ps.slice(i + 1).filter((b) => a.lineStart <= b.lineEnd && b.lineStart <= a.lineEnd));
        expect(shared).toEqual([]);
      }
    }
  });
});
