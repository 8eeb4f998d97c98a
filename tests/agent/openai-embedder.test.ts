import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelMismatchError } from '../../src/core/errors.js';
import { loadEmbedder } from '../../src/embed/load-embedder.js';
import { loadOpenAIEmbedder } from '../../src/embed/openai-embedder.js';
import { ingest } from '../../src/ingest/ingest.js';
import { createToolContext } from '../../src/tools/context.js';
import { searchTool } from '../../src/tools/search.js';
import { callTool } from '../../src/tools/tool.js';
import { CORPUS, MODEL_DIR } from '../helpers/paths.js';
import { TEST_MODEL, tempDir } from '../helpers/sample-index.js';
import { EMBEDDING_DIM, startScriptedServer, type ScriptedServer } from '../helpers/scripted-openai.js';

let server: ScriptedServer;
/** A few posts are enough here and keep the two ingests quick. */
const ROOT = path.join(CORPUS, 'posts', '2022');
const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };

beforeAll(async () => {
  server = await startScriptedServer();
  // Opening an index embeds queries with the backend it was built with, configured from the env.
  process.env.OPENAI_BASE_URL = server.baseURL;
  process.env.OPENAI_API_KEY = 'test-key';
});

afterAll(async () => {
  if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = saved.base;
  if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved.key;
  await server?.close();
});

interface EmbeddingsBody {
  model: string;
  input: string[];
}

describe('openai embedder backend (OpenAI-compatible /v1/embeddings)', () => {
  it('ingests the sample corpus, searches it by meaning, and demands --rebuild to switch backend', async () => {
    const index = path.join(tempDir(), 'index');
    const embedder = await loadOpenAIEmbedder({ model: 'nomic-embed-text', baseURL: server.baseURL, apiKey: 'test-key' });
    expect(embedder.settings).toMatchObject({ backend: 'openai', id: 'nomic-embed-text', dimension: EMBEDDING_DIM });
    const report = await ingest({ roots: [ROOT], index, embedder });
    expect(report.documents).toBe(3);
    expect(report.model).toMatch(/nomic-embed-text/);

    const bodies = server.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body as EmbeddingsBody);
    expect(bodies.every((b) => b.model === 'nomic-embed-text')).toBe(true);
    // Passages carry the model's document prefix.
    expect(
      bodies
        .slice(1)
        .flatMap((b) => b.input)
        .every((t) => t.startsWith('search_document: ')),
    ).toBe(true);

    const ctx = createToolContext({ index, onWarning: (m) => expect.fail(m) });
    try {
      const out = await callTool(searchTool, ctx, { query: 'what calibration measures about stated confidence', mode: 'vector', k: 3 });
      expect(out.mode).toBe('vector');
      expect(out.results.slice(0, 2).map((r) => r.docId)).toContainEqual(expect.stringMatching(/calibration/));
      const last = server.requests.at(-1)!.body as EmbeddingsBody;
      expect(last.input).toEqual(['search_query: what calibration measures about stated confidence']);
    } finally {
      await ctx.close();
    }

    const local = await loadEmbedder({ backend: 'transformers', model: TEST_MODEL, modelDir: MODEL_DIR });
    try {
      const err = await ingest({ roots: [ROOT], index, embedder: local }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelMismatchError);
      expect((err as Error).message).toMatch(/openai:nomic-embed-text .* --rebuild/);
      const rebuilt = await ingest({ roots: [ROOT], index, embedder: local, rebuild: true });
      expect(rebuilt.model).toMatch(/tiny-test-bert/);
    } finally {
      await local.dispose();
    }
  });
});
