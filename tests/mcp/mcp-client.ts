import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing — run \`npm run build\` first`);
}

/**
 * The environment an agent gives `priors mcp`: its default safe variables, plus an empty config home
 * and working directory so no user or repo priors config leaks into the test.
 */
export function isolatedEnv(): { env: Record<string, string>; cwd: string } {
  const cwd = tempDir('priors-mcp-cwd-');
  return { env: { ...getDefaultEnvironment(), XDG_CONFIG_HOME: cwd }, cwd };
}

export function cliArgs(index: string, extra: readonly string[] = []): string[] {
  return [CLI, 'mcp', '--index', index, '--model-dir', MODEL_DIR, ...extra];
}

export interface SpawnedClient {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** `priors mcp` spawned over a real stdio transport by the SDK's own client, as a user's agent would. */
export async function spawnClient(index: string, extraArgs: readonly string[] = []): Promise<SpawnedClient> {
  requireBuiltCli();
  const { env, cwd } = isolatedEnv();
  const transport = new StdioClientTransport({ command: process.execPath, args: cliArgs(index, extraArgs), env, cwd, stderr: 'pipe' });
  let err = '';
  (transport.stderr as Readable | null)?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'priors-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err, close: () => client.close() };
}

export interface ToolReply {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
}

export async function callToolReply(client: Client, name: string, args: Record<string, unknown>): Promise<ToolReply> {
  const result = CallToolResultSchema.parse(await client.callTool({ name, arguments: args }));
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { isError: result.isError === true, text, structured: result.structuredContent };
}
