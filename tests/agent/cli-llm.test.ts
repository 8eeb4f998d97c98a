import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CLI, CORPUS, MODEL_DIR } from '../helpers/paths.js';
import { TEST_MODEL, buildSampleIndex, tempDir } from '../helpers/sample-index.js';
import { lastToolMessage, pickSentence, startScriptedServer, type ScriptedServer } from '../helpers/scripted-openai.js';

let index: string;
const POSTS_2022 = path.join(CORPUS, 'posts', '2022');
/** An empty cwd and config home, so no priors.config.json of the developer leaks in. */
let home: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing — run \`npm run build\` first`);
  // Three posts keep the index build quick; the full corpus is exercised in assistant.test.ts.
  ({ index } = await buildSampleIndex(TEST_MODEL, [POSTS_2022]));
  home = tempDir('priors-home-');
});

/** Each test gets its own scripted server, so the (slow to start) CLI runs can go concurrently. */
const servers: ScriptedServer[] = [];
async function scripted(): Promise<ScriptedServer> {
  const s = await startScriptedServer();
  servers.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async on purpose: the scripted server lives in this process and must keep answering. */
function priors(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, NO_COLOR: '1', ...opts.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: home, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

const llmEnv = (server: ScriptedServer) => ({ OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key' });
const call = (id: string, name: string, args: unknown) => ({ id, name, arguments: JSON.stringify(args) });

describe.concurrent('priors ask --llm', () => {
  it('answers through the API and prints {question, answer, sources, quotes, verified, unverified} with --json', async ({ expect }) => {
    const server = await scripted();
    let quoted = '';
    server.script({ type: 'stream', toolCalls: [call('c1', 'search', { query: 'reward model preferences', k: 3 })] }, (req) => {
      quoted = pickSentence(lastToolMessage(req));
      return { type: 'stream', content: `You wrote "${quoted}" [1] and "reward models will always beat human judgement" [1].` };
    });
    const r = await priors(
      [
        'ask',
        '--llm',
        '--json',
        '--model',
        'scripted-model',
        '--index',
        index,
        '--model-dir',
        MODEL_DIR,
        'what did I say about reward models?',
      ],
      {
        env: llmEnv(server),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['question', 'answer', 'sources', 'quotes', 'verified', 'unverified']);
    expect(out).toMatchObject({
      question: 'what did I say about reward models?',
      verified: 1,
      unverified: 1,
      quotes: [
        { quote: quoted, verified: true, verdict: 'verified', citation: expect.stringMatching(/^2022\/2022-.*\.md:\d+/) },
        { quote: 'reward models will always beat human judgement', verified: false, verdict: 'not_found', citation: null },
      ],
      // The cited document, and any other the quote was verified in.
      sources: expect.arrayContaining([expect.objectContaining({ n: 1, docId: expect.stringMatching(/^2022\/2022-.*\.md$/) })]),
    });
    expect(server.chatRequests()[0]).toMatchObject({ model: 'scripted-model' });
  });

  it('streams the answer and ends it with the sources list and the quote counts', async ({ expect }) => {
    const server = await scripted();
    server.script({ type: 'stream', toolCalls: [call('c1', 'search', { query: 'research log', k: 2 })] }, (req) => ({
      type: 'stream',
      content: `You said "${pickSentence(lastToolMessage(req))}" [1]`,
    }));
    const r = await priors(['ask', '--llm', '--index', index, '--model-dir', MODEL_DIR, 'research log'], {
      env: { ...llmEnv(server), PRIORS_LLM_MODEL: 'env-model' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^You said ".*" \[1\]\n\nSources\n {2}\[1\] .* — 2022\/2022-.*\.md:\d+/s);
    expect(r.stdout).toMatch(/Quotes\n {2}✓ ".*" — 2022\/2022-.*\n1 verified, 0 unverified\n$/);
    expect(r.stderr).toMatch(/· search \{"query":"research log","k":2\} → \d+ passages/);
    expect(server.chatRequests()[0]).toMatchObject({ model: 'env-model' });
  });

  it('without an API configured, warns and gives the offline answer', async ({ expect }) => {
    const r = await priors(['ask', '--llm', '--index', index, '--model-dir', MODEL_DIR, 'calibration']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: --llm: no LLM API configured — set OPENAI_API_KEY .* OPENAI_BASE_URL=http:\/\/localhost:11434\/v1 for Ollama/,
    );
    expect(r.stdout).toMatch(/calibration/i);
  });
});

describe.concurrent('priors chat', () => {
  it('explains how to configure an API when there is none', async ({ expect }) => {
    const r = await priors(['chat', '--index', index]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: priors chat: no LLM API configured — set OPENAI_API_KEY .*OPENAI_BASE_URL=http:\/\/localhost:11434\/v1 .*--model/,
    );
  });

  it('reads questions line by line, keeps the conversation, and stops at /exit', async ({ expect }) => {
    const server = await scripted();
    let quoted = '';
    server.script(
      { type: 'stream', toolCalls: [call('c1', 'search', { query: 'calibration', k: 2 })] },
      (req) => {
        quoted = pickSentence(lastToolMessage(req));
        return { type: 'stream', content: 'Yes, in one post [1].' };
      },
      // Second turn: the earlier tool results are still in the conversation.
      (req) => ({
        type: 'stream',
        content: `Quote: "${quoted}" [1]${req.messages.some((m) => m.role === 'tool') ? '' : ' (no history!)'}`,
      }),
    );
    const r = await priors(['chat', '--model', 'm', '--index', index, '--model-dir', MODEL_DIR], {
      env: llmEnv(server),
      stdin: 'did I write about calibration?\nquote me\n/exit\nnot asked\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Yes, in one post [1].');
    expect(r.stdout).toContain(`Quote: "${quoted}" [1]\n`);
    expect(r.stdout).not.toContain('no history');
    expect(r.stdout).toMatch(/0 verified, 0 unverified[\s\S]*1 verified, 0 unverified/);
    expect(server.chatRequests()).toHaveLength(3);
  });
});

describe.concurrent('priors ingest --embedder openai --embed-model', () => {
  it('indexes through /v1/embeddings with the model given as --embed-model', async ({ expect }) => {
    const server = await scripted();
    const idx = path.join(tempDir(), 'index');
    const env = llmEnv(server);
    const ing = await priors(
      ['ingest', POSTS_2022, '--index', idx, '--embedder', 'openai', '--embed-model', 'nomic-embed-text', '--json'],
      { env },
    );
    expect(ing.code, ing.stderr).toBe(0);
    expect(JSON.parse(ing.stdout)).toMatchObject({ model: expect.stringMatching(/nomic-embed-text/) });
    // Searching such an index is covered in openai-embedder.test.ts; here: the alias reached the API.
    const bodies = server.requests.filter((q) => q.path === '/v1/embeddings').map((q) => q.body as { model: string });
    // The dimension probe, then the passages.
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies.every((b) => b.model === 'nomic-embed-text')).toBe(true);
  });
});
