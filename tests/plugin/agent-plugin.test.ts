/**
 * The agent plugin: the Agent Skills `SKILL.md` and the Claude Code plugin manifest (plus the
 * marketplace entry that makes the clone installable) checked against their documented formats,
 * and the MCP command the manifest declares started for real and driven by the SDK client.
 *
 * Schemas follow the published documents: Agent Skills specification (agentskills.io,
 * docs/specification.mdx: name 1–64 chars of a-z, 0-9 and single hyphens, not at either end,
 * matching the folder; description 1–1024 chars; compatibility ≤ 500) and Claude Code's plugin
 * manifest and marketplace references (kebab-case name, semver version, component paths starting
 * `./`, mcpServers as a path or as stdio/http server entries).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLI, MODEL_DIR, REPO } from '../helpers/paths.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';
import { callToolReply, isolatedEnv, requireBuiltCli } from '../mcp/mcp-client.js';

const execFileAsync = promisify(execFile);
const readJson = (rel: string): unknown => JSON.parse(readFileSync(path.join(REPO, rel), 'utf8'));

// --- Agent Skills (SKILL.md front matter) ---
const skillName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens, not at either end');
const skillFrontMatter = z
  .object({
    name: skillName,
    description: z.string().min(1).max(1024),
    license: z.string().min(1).optional(),
    compatibility: z.string().min(1).max(500).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    'allowed-tools': z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict();

// --- Claude Code plugin manifest (.claude-plugin/plugin.json) ---
const kebab = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'kebab-case');
const relPath = z
  .string()
  .regex(/^\.\//, 'relative to the plugin root, starting ./')
  .refine((p) => !p.split('/').includes('..') && !p.includes('\\'), 'no ../, forward slashes only');
const paths = z.union([relPath, z.array(relPath)]);
const person = z.union([
  z.string(),
  z.object({ name: z.string(), email: z.string().optional(), url: z.string().url().optional() }).strict(),
]);
const stdioServer = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
  })
  .strict();
const remoteServer = z
  .object({ type: z.enum(['http', 'sse']), url: z.string().url(), headers: z.record(z.string(), z.string()).optional() })
  .strict();
const mcpServers = z.union([relPath, z.record(z.string(), z.union([stdioServer, remoteServer]))]);
const pluginManifest = z
  .object({
    name: kebab,
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'MAJOR.MINOR.PATCH')
      .optional(),
    description: z.string().optional(),
    author: person.optional(),
    homepage: z.string().url().optional(),
    repository: z.union([z.string(), z.object({ type: z.string(), url: z.string(), directory: z.string().optional() })]).optional(),
    license: z.string().optional(),
    keywords: z.array(z.string()).optional(),
    commands: paths.optional(),
    agents: paths.optional(),
    skills: paths.optional(),
    hooks: z.union([relPath, z.record(z.string(), z.unknown())]).optional(),
    mcpServers: mcpServers.optional(),
  })
  .strict();

// --- Claude Code marketplace (.claude-plugin/marketplace.json), so `/plugin marketplace add <clone>` works ---
const marketplace = z
  .object({
    name: kebab,
    owner: z.object({ name: z.string(), email: z.string().optional() }).strict(),
    metadata: z.object({ description: z.string(), version: z.string(), pluginRoot: z.string() }).partial().optional(),
    plugins: z
      .array(
        z.object({
          name: kebab,
          source: z.union([relPath, z.object({ source: z.string() }).passthrough()]),
          description: z.string().optional(),
        }),
      )
      .min(1),
  })
  .strict();

const manifest = pluginManifest.parse(readJson('.claude-plugin/plugin.json'));
const skillFile = path.join(REPO, 'skills', 'priors', 'SKILL.md');
const skill = matter(readFileSync(skillFile, 'utf8'));

describe('Agent Skills SKILL.md', () => {
  it('has front matter with the documented fields only, within their limits', () => {
    const fm = skillFrontMatter.parse(skill.data);
    // The name must match the folder the skill lives in.
    expect(fm.name).toBe(path.basename(path.dirname(skillFile)));
    expect(fm.description).toMatch(/verify quotations/);
  });

  it('keeps the body within the recommended size (under 500 lines)', () => {
    expect(skill.content.trim().length).toBeGreaterThan(0);
    expect(skill.content.split('\n').length).toBeLessThan(500);
  });

  it('rejects what the specification rejects', () => {
    for (const bad of ['PDF-Processing', '-pdf', 'pdf-', 'pdf--processing', 'pdf_processing', 'x'.repeat(65)]) {
      expect(skillName.safeParse(bad).success, bad).toBe(false);
    }
    expect(skillFrontMatter.safeParse({ name: 'priors', description: 'x'.repeat(1025) }).success).toBe(false);
    expect(skillFrontMatter.safeParse({ name: 'priors', description: 'ok', version: '1' }).success).toBe(false);
  });
});

describe('Claude Code plugin manifest', () => {
  it('is valid, versioned with the package, and bundles the skill from the default skills/ folder', () => {
    const pkg = readJson('package.json') as { name: string; version: string };
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    // Claude Code discovers skills in <plugin root>/skills/<name>/SKILL.md.
    expect(path.relative(REPO, skillFile)).toBe(path.join('skills', skillFrontMatter.parse(skill.data).name, 'SKILL.md'));
  });

  it('declares the MCP server as `priors mcp`', () => {
    expect(manifest.mcpServers).toEqual({ priors: { command: 'priors', args: ['mcp'] } });
  });

  it('is listed by the repository marketplace under the same name', () => {
    const m = marketplace.parse(readJson('.claude-plugin/marketplace.json'));
    expect(m.plugins).toEqual([expect.objectContaining({ name: manifest.name, source: './' })]);
  });

  it('the schema rejects what the reference rejects', () => {
    expect(pluginManifest.safeParse({ name: 'My Plugin' }).success).toBe(false);
    expect(pluginManifest.safeParse({ name: 'p', version: '1.0' }).success).toBe(false);
    expect(pluginManifest.safeParse({ name: 'p', hooks: 'hooks/hooks.json' }).success).toBe(false);
    expect(pluginManifest.safeParse({ name: 'p', commands: '../shared/commands' }).success).toBe(false);
  });
});

describe('the MCP command the manifest declares', () => {
  let index: string;
  let client: Client;

  beforeAll(async () => {
    requireBuiltCli();
    ({ index } = await buildSampleIndex());
    const server = (manifest.mcpServers as Record<string, z.infer<typeof stdioServer>>).priors;
    // `priors` is the installed bin; here the built CLI stands in for it, with the same arguments.
    expect(server?.command).toBe('priors');
    const { env, cwd } = isolatedEnv();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, ...(server?.args ?? []), '--index', index, '--model-dir', MODEL_DIR],
      env,
      cwd,
      stderr: 'ignore',
    });
    client = new Client({ name: 'priors-plugin-test', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists the tools the skill tells the agent to use, and no tool the skill does not know', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain('search');
    for (const name of names) expect(skill.content, `SKILL.md mentions ${name}`).toContain(`\`${name}\``);
    // The pages an agent's user reads to set it up list the same tools (they fell behind as tools landed).
    for (const doc of ['README.md', 'docs/mcp.md', 'docs/agents.md']) {
      const text = readFileSync(path.join(REPO, doc), 'utf8');
      for (const name of names) expect(text, `${doc} mentions ${name}`).toContain(`\`${name}\``);
    }
  });

  it('answers a search with verbatim passages and citable locations', async () => {
    const reply = await callToolReply(client, 'search', { query: 'open models a year behind', k: 3 });
    expect(reply.isError, reply.text).toBe(false);
    const results = (reply.structured as { results: { docId: string; lineStart: number; text: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.docId)).toContain('corpus/posts/2023/2023-02-21-how-far-behind-open-models.md');
  });

  it('the command-line examples in SKILL.md run against an index', async () => {
    const block = /```sh\n([\s\S]*?)```/.exec(skill.content)?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.startsWith('priors '));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const cwd = tempDir('priors-skill-');
    writeFileSync(path.join(cwd, 'draft.md'), 'A draft about open models and how far behind the frontier they are.\n');
    const env = { ...process.env, PRIORS_INDEX: index, PRIORS_MODEL_DIR: MODEL_DIR, XDG_CONFIG_HOME: cwd, NO_COLOR: '1' };
    // Side by side: each is a whole process that loads the index (and for most, the model).
    const runs = lines.map(async (line) => {
      // Split like a shell would for these simple lines: double-quoted words, then bare words, without comments.
      const args = [...line.replace(/\s+#.*$/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').slice(1);
      try {
        await execFileAsync(process.execPath, [CLI, ...args], { cwd, env });
        return null;
      } catch (err) {
        return `${line}\n${(err as { stderr?: string }).stderr ?? String(err)}`;
      }
    });
    expect((await Promise.all(runs)).filter((r) => r !== null)).toEqual([]);
  });
});
