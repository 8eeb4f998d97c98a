/**
 * Retrieval that needs vectors with meaning: the sample corpus embedded with the static stand-in from
 * ../shared/models (the tiny test model's vectors are random, so the default tier cannot test this).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTool } from '../../src/tools/search.js';
import { callTool } from '../../src/tools/tool.js';
import { CORPUS, SHARED_MODEL_DIR } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';

const STATIC_MODEL = 'priors/static-en-256';

describe.skipIf(!has('sharedModels'))('search by meaning with priors/static-en-256', () => {
  let ctx: ReturnType<typeof sampleContext>;
  beforeAll(async () => {
    const { index } = await buildSampleIndex(STATIC_MODEL, [CORPUS], SHARED_MODEL_DIR);
    ctx = sampleContext(index, SHARED_MODEL_DIR);
  });
  afterAll(() => ctx?.close());

  it('finds a paraphrase with no shared keywords through the vector side', async () => {
    const out = await callTool(searchTool, ctx, { query: 'gap to frontier labs shrinking', k: 5, mode: 'hybrid' });
    // Ids carry the root's name (`corpus/…`) since roots became collections.
    expect(out.results.map((r) => r.docId)).toContain('corpus/posts/2024/2024-11-12-the-distance-is-narrowing.md');
  });
});
