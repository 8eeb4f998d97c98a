import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { LlmSettings } from '../../src/agent/llm-config.js';
import { buildSampleIndex, sampleContext } from './sample-index.js';
import { startScriptedServer, type ScriptedServer } from './scripted-openai.js';

export interface AssistantFixture {
  server: ScriptedServer;
  ctx: ReturnType<typeof sampleContext>;
  llm: LlmSettings;
}

/**
 * For a test file of the assistant: a real index of the sample corpus and a scripted OpenAI-compatible
 * server, built once (filled in by `beforeAll`), with the server's script and log cleared before each test.
 */
export function useAssistantFixture(): AssistantFixture {
  const fixture = {} as AssistantFixture;
  beforeAll(async () => {
    const [{ index }, server] = await Promise.all([buildSampleIndex(), startScriptedServer()]);
    fixture.server = server;
    fixture.ctx = sampleContext(index);
    fixture.llm = { baseURL: server.baseURL, apiKey: 'test-key', model: 'scripted-model', timeoutMs: 5000, maxRetries: 3 };
  });
  afterAll(async () => {
    await fixture.ctx?.close();
    await fixture.server?.close();
  });
  beforeEach(() => fixture.server.reset());
  return fixture;
}
