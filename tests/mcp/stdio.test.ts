import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/tools/index.js';
import { toolJsonSchema } from '../../src/tools/tool.js';
import { CORPUS } from '../helpers/paths.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';
import { callToolReply, cliArgs, isolatedEnv, requireBuiltCli, spawnClient, type SpawnedClient } from './mcp-client.js';

const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const YEAR_BEHIND = 'corpus/posts/2023/2023-02-21-how-far-behind-open-models.md';
const RLHF_2022 = 'corpus/posts/2022/2022-07-12-rlhf-is-a-patch.md';
const AGENT_TOOLS = [
  'search',
  'quote',
  'cite',
  'get_document',
  'related',
  'check',
  'timeline',
  'links',
  'list_documents',
  'stats',
  'list_roots',
];

let index: string;
let s: SpawnedClient;

const fileText = (docId: string) => readFileSync(path.join(CORPUS, docId.replace(/^corpus\//, '')), 'utf8');
const fileLines = (docId: string, a: number, b: number) =>
  fileText(docId)
    .split('\n')
    .slice(a - 1, b)
    .join('\n');
const postCount = () =>
  readdirSync(path.join(CORPUS, 'posts'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).length;

beforeAll(async () => {
  requireBuiltCli();
  ({ index } = await buildSampleIndex());
  s = await spawnClient(index);
});
afterAll(async () => {
  await s?.close();
});

describe('priors mcp over stdio: handshake', () => {
  it('identifies itself, declares tools/resources/prompts and tells the agent what the archive is', () => {
    expect(s.client.getServerVersion()?.name).toBe('priors');
    const caps = s.client.getServerCapabilities();
    expect(caps?.tools).toBeDefined();
    expect(caps?.resources).toBeDefined();
    expect(caps?.prompts).toBeDefined();
    expect(s.client.getInstructions()).toMatch(/own writing archive/);
  });

  it('lists the agent tools (not ask) with the JSON Schemas of the tool layer', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(AGENT_TOOLS);
    for (const t of tools) {
      const def = TOOLS.find((d) => d.name === t.name)!;
      const { $schema: _dialect, ...expected } = toolJsonSchema(def);
      expect(t.inputSchema).toEqual(expected);
      expect(t.description).toBe(def.description);
      // Without --allow-writes every tool offered only reads.
      expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
    const search = tools.find((t) => t.name === 'search')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect(search.inputSchema.additionalProperties).toBe(false);
  });
});

describe('priors mcp over stdio: every tool on the sample corpus', () => {
  it('search: verbatim passages as concise text plus the JSON contract as structured content', async () => {
    const r = await callToolReply(s.client, 'search', { query: 'where did I say open models are a year behind?', k: 5 });
    expect(r.isError).toBe(false);
    const results = r.structured?.results as { docId: string; text: string; lineStart: number; lineEnd: number; citation: string }[];
    expect(results[0]?.docId).toBe(YEAR_BEHIND);
    for (const h of results) expect(fileLines(h.docId, h.lineStart, h.lineEnd)).toContain(h.text);
    expect(r.text).toContain(`${YEAR_BEHIND}:${results[0]!.lineStart}`);
    expect(r.text.startsWith('1. ')).toBe(true);
  });

  it('quote: verifies a sentence the author wrote', async () => {
    const r = await callToolReply(s.client, 'quote', { text: 'Whatever the fine-tuning did, it taught the model to sound sure.' });
    expect(r.isError).toBe(false);
    expect(r.structured?.verdict).toBe('verified');
    expect((r.structured?.locations as { docId: string }[])[0]?.docId).toBe(CALIBRATION);
    expect(r.text).toMatch(/^VERIFIED/);
    const elided = await callToolReply(s.client, 'quote', {
      text: 'So the model learns to sound like the kind of person who says ninety [...] the fix we’ve had most luck with is aggregation',
    });
    expect(elided.structured).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ines Okafor', role: 'guest' });
    expect(elided.text).toContain('Ines Okafor (guest) at 00:03:04');
  });

  it('cite: a citation quoting the exact lines', async () => {
    const r = await callToolReply(s.client, 'cite', { docId: CALIBRATION, lineStart: 29, lineEnd: 29 });
    expect(r.isError).toBe(false);
    expect((r.structured?.source as { quote: string }).quote).toBe(fileLines(CALIBRATION, 29, 29));
    expect(r.text).toContain('What calibration actually measures');
  });

  it('get_document: metadata and an exact line range', async () => {
    const r = await callToolReply(s.client, 'get_document', { docId: CALIBRATION, lineStart: 1, lineEnd: 9 });
    expect(r.isError).toBe(false);
    expect(r.structured?.title).toBe('What calibration actually measures');
    expect(r.structured?.text).toBe(fileLines(CALIBRATION, 1, 9));
  });

  it('related: prior writing for a draft given as text; a file path only with --allow-read (tests/hostile covers that)', async () => {
    const draft =
      'Instruction tuning seems to make models overconfident: their stated probabilities stop matching how often they are right.\n\n' +
      'I want to measure the calibration of a chat model with a reliability curve and expected calibration error.';
    const byText = await callToolReply(s.client, 'related', { text: draft, documents: 5 });
    expect(byText.isError).toBe(false);
    expect((byText.structured?.documents as { docId: string }[]).map((d) => d.docId)).toContain(CALIBRATION);

    const file = path.join(tempDir(), 'draft.md');
    writeFileSync(file, draft);
    const byPath = await callToolReply(s.client, 'related', { path: file, documents: 5 });
    expect(byPath).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^related: .*draft\.md is not in a folder this server may read \(priors mcp --allow-read <folder>\)/),
    });
  });

  it('timeline: documents on a topic, oldest first', async () => {
    const r = await callToolReply(s.client, 'timeline', { topic: 'RLHF and reward models', limit: 5 });
    expect(r.isError).toBe(false);
    const entries = r.structured?.entries as { date: string | null; docId: string }[];
    expect(entries.map((e) => e.docId)).toContain(RLHF_2022);
    const dates = entries.map((e) => e.date ?? '\uffff');
    expect(dates).toEqual([...dates].sort());
  });

  it('list_documents: the whole archive, newest first', async () => {
    const r = await callToolReply(s.client, 'list_documents', {});
    expect(r.isError).toBe(false);
    expect(r.structured?.total).toBe(postCount());
    const dates = (r.structured?.documents as { date: string }[]).map((d) => d.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(r.text).toMatch(new RegExp(`^${postCount()} documents`));
  });

  it('stats: what the index holds', async () => {
    const r = await callToolReply(s.client, 'stats', {});
    expect(r.isError).toBe(false);
    expect(r.structured?.documents).toBe(postCount());
    expect((r.structured?.byTag as Record<string, number>).calibration).toBeGreaterThan(0);
    expect(r.text).toMatch(new RegExp(`^index {7}.+\\ndocuments {3}${postCount()} \\(`));
  });
});

describe('priors mcp over stdio: bad calls come back as readable tool errors', () => {
  it.each([
    ['search', {}, /^search: query: /],
    ['search', { query: 'calibration', k: 0 }, /^search: k: /],
    ['search', { query: 'calibration', q: 'typo' }, /^search: .*"q"/],
    ['cite', { docId: CALIBRATION, lineEnd: 3 }, /^cite: lineEnd: lineEnd needs lineStart$/],
    ['related', {}, /^related: give exactly one of text or path$/],
    ['get_document', { docId: 'posts/nope.md' }, /^no document "posts\/nope\.md" in the index/],
    ['get_document', { docId: CALIBRATION, lineStart: 9999 }, /line 9999 is outside it$/],
  ])('%s %j', async (name, args, message) => {
    const r = await callToolReply(s.client, name, args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
    expect(r.text).not.toContain('\n');
  });

  it('an unknown tool is a protocol error naming the real tools', async () => {
    const err = await s.client.callTool({ name: 'ask', arguments: { question: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(-32602);
    expect((err as McpError).message).toContain('tools: search, quote');
  });
});

describe('priors mcp and the tools that change the index', () => {
  it('offers remove_root only with --allow-writes, and refuses a call to it without, naming the flag', async () => {
    const refused = await callToolReply(s.client, 'remove_root', { name: 'corpus' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe(
      'remove_root changes the index and is off on this server (`priors mcp --allow-writes` offers it); the user can run `priors roots remove NAME` instead',
    );
    expect((await callToolReply(s.client, 'stats', {})).structured?.documents).toBe(postCount());

    const { index: own } = await buildSampleIndex();
    const writer = await spawnClient(own, ['--allow-writes']);
    try {
      const { tools } = await writer.client.listTools();
      expect(tools.map((t) => t.name)).toEqual([...AGENT_TOOLS, 'remove_root']);
      expect(tools.find((t) => t.name === 'remove_root')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      const removed = await callToolReply(writer.client, 'remove_root', { name: 'corpus' });
      expect(removed.isError, removed.text).toBe(false);
      expect((await callToolReply(writer.client, 'stats', {})).structured?.documents).toBe(0);
    } finally {
      await writer.close();
    }
  });
});

describe('priors mcp over stdio: resources and prompts', () => {
  it('lists every document as a priors://doc/ resource and offers the template', async () => {
    const { resources } = await s.client.listResources();
    expect(resources).toHaveLength(postCount());
    const cal = resources.find((r) => r.name === CALIBRATION);
    expect(cal).toMatchObject({
      uri: `priors://doc/${CALIBRATION}`,
      title: 'What calibration actually measures',
      mimeType: 'text/markdown',
    });
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['priors://doc/{+docId}']);
  });

  it('reads a document resource as its exact file text', async () => {
    const { contents } = await s.client.readResource({ uri: `priors://doc/${CALIBRATION}` });
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri: `priors://doc/${CALIBRATION}`, mimeType: 'text/markdown' });
    expect((contents[0] as { text: string }).text).toBe(fileText(CALIBRATION));
  });

  it('an unknown document is a "resource not found" error', async () => {
    const err = await s.client.readResource({ uri: 'priors://doc/posts/nope.md' }).catch((e: unknown) => e);
    expect((err as McpError).code).toBe(-32002);
    expect((err as McpError).message).toContain('no document "posts/nope.md"');
  });

  it('completes docIds', async () => {
    const { completion } = await s.client.complete({
      ref: { type: 'ref/resource', uri: 'priors://doc/{+docId}' },
      argument: { name: 'docId', value: 'corpus/posts/2022/' },
    });
    expect(completion.values).toEqual(
      readdirSync(path.join(CORPUS, 'posts/2022'))
        .map((f) => `corpus/posts/2022/${f}`)
        .sort(),
    );
  });

  it('offers the prompts, which steer the agent to the tools', async () => {
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['find_prior_writing', 'views_over_time']);
    const byPath = await s.client.getPrompt({ name: 'find_prior_writing', arguments: { draft: '/home/me/drafts/next.md' } });
    const text = (byPath.messages[0]?.content as { text: string }).text;
    expect(text).toContain(
      'Call `related` with {"path": "/home/me/drafts/next.md"} (my draft file); if the server may not read that folder, read the file yourself',
    );
    expect(text).not.toContain('<draft>');
    const byText = await s.client.getPrompt({ name: 'find_prior_writing', arguments: { draft: 'Open models are catching up.\nFast.' } });
    expect((byText.messages[0]?.content as { text: string }).text).toContain('<draft>\nOpen models are catching up.\nFast.\n</draft>');
    const views = await s.client.getPrompt({ name: 'views_over_time', arguments: { topic: 'RLHF' } });
    expect((views.messages[0]?.content as { text: string }).text).toContain('`timeline`');
  });
});

describe('priors mcp without an index', () => {
  it('starts, answers initialize, and reports the missing index as a tool error on every call', async () => {
    const missing = path.join(tempDir(), 'no-index-here');
    const m = await spawnClient(missing);
    try {
      expect(m.client.getServerVersion()?.name).toBe('priors');
      for (let i = 0; i < 2; i++) {
        const r = await callToolReply(m.client, 'search', { query: 'calibration' });
        expect(r.isError).toBe(true);
        expect(r.text).toBe(`no index at ${missing} — run \`priors ingest\` first`);
      }
      expect((await m.client.listResources()).resources).toEqual([]);
    } finally {
      await m.close();
    }
    expect(m.stderr()).not.toMatch(/^\s+at /m);
  });
});

/** Raw JSON-RPC over the child's pipes, to control exactly when the client goes away. */
function rpc(id: number, method: string, params: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
}
const INIT = rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
const INITIALIZED = `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`;

function spawnRaw(idx: string) {
  const { env, cwd } = isolatedEnv();
  const child = spawn(process.execPath, cliArgs(idx), { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => out, stderr: () => err };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);
}

describe('priors mcp and its stdio stream', () => {
  it('writes nothing but JSON-RPC messages to stdout, even while loading the model and searching', async () => {
    const p = spawnRaw(index);
    p.child.stdin.write(
      INIT + INITIALIZED + rpc(2, 'tools/call', { name: 'search', arguments: { query: 'calibration of language models' } }),
    );
    await withTimeout(
      (async () => {
        while (!p.stdout().includes('"id":2')) await new Promise((r) => setTimeout(r, 20));
      })(),
      30_000,
      'the first search',
    );
    p.child.stdin.end();
    const { code } = await withTimeout(p.exited, 10_000, 'exit after stdin closed');
    expect(code).toBe(0);
    const lines = p.stdout().split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
  });

  it('exits cleanly (code 0, no stack trace) when the client closes stdin in the middle of a call', async () => {
    const p = spawnRaw(index);
    const draft = Array.from(
      { length: 12 },
      (_, i) => `Paragraph ${i} of a long draft about reward models, preference data and calibration of chat models.`,
    ).join('\n\n');
    p.child.stdin.write(INIT + INITIALIZED + rpc(2, 'tools/call', { name: 'related', arguments: { text: draft } }));
    // Gone before the answer: the call is still waiting on the index and model.
    p.child.stdin.end();
    const { code, signal } = await withTimeout(p.exited, 10_000, 'exit after stdin closed');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(p.stderr()).not.toMatch(/^\s+at |Error:/m);
  });

  it('exits cleanly when the client dies outright (stdin and stdout both gone)', async () => {
    const p = spawnRaw(index);
    p.child.stdin.write(INIT + INITIALIZED + rpc(2, 'tools/call', { name: 'search', arguments: { query: 'benchmarks' } }));
    p.child.stdout.destroy();
    p.child.stdin.destroy();
    const { code, signal } = await withTimeout(p.exited, 10_000, 'exit after the client died');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(p.stderr()).not.toMatch(/^\s+at |Error:/m);
  });

  it('exits cleanly on SIGTERM, as agents stop their servers', async () => {
    const p = spawnRaw(index);
    p.child.stdin.write(INIT);
    await withTimeout(
      (async () => {
        while (!p.stdout().includes('"id":1')) await new Promise((r) => setTimeout(r, 20));
      })(),
      10_000,
      'initialize',
    );
    p.child.kill('SIGTERM');
    const { code } = await withTimeout(p.exited, 10_000, 'exit after SIGTERM');
    expect(code).toBe(0);
    expect(p.stderr()).not.toMatch(/^\s+at |Error:/m);
  });
});
