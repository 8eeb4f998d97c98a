/**
 * Document ranking and request cues on the real archive (issue 15 items 3–4): what the sample corpus is too
 * small to show. The index uses the word vectors, as `priors ingest` does by default offline.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { askTool } from '../../src/tools/ask.js';
import { createToolContext } from '../../src/tools/context.js';
import { searchTool } from '../../src/tools/search.js';
import { callTool } from '../../src/tools/tool.js';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';
import { loadTestWordVectors, TEST_CACHE } from '../helpers/wordvec.js';

describe.skipIf(!has('sharedData'))('ranking on the real archive', () => {
  let ctx: ReturnType<typeof createToolContext>;
  beforeAll(async () => {
    const index = path.join(tempDir(), 'index');
    const embedder = await loadTestWordVectors();
    await ingest({ roots: [path.join(SHARED_DATA, 'interconnects'), path.join(SHARED_DATA, 'rlhf-book', 'chapters')], index, embedder });
    ctx = createToolContext({ index, cacheDir: TEST_CACHE, onWarning: () => undefined });
  });
  afterAll(() => ctx?.close());

  it('"prior posts on calibration": the post that discusses it (14 mentions) comes before interviews that mention it', async () => {
    const out = await callTool(askTool, ctx, { question: 'prior posts on calibration' });
    expect(out.documents[0]?.docId).toMatch(/2025-06-04-ataxonomyfornext-generationreasoningmodels\.md$/);
  });

  it('"in the book" puts a chapter first; "my guest" an interview', async () => {
    const book = await callTool(searchTool, ctx, { query: 'in the book, where I explain over-optimization of the reward model', k: 5 });
    expect(book.results[0]?.docId).toMatch(/(^|\/)chapters\//);
    const guest = await callTool(searchTool, ctx, { query: 'what my guest said about self-play for self-driving', k: 5 });
    expect(guest.results[0]?.type).toMatch(/transcript|interview/);
  });
});
