import type { Command } from 'commander';
import { draftArgument } from '../tools/caller-file.js';

/** Standard input as UTF-8 text (a draft piped in as `-`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The `<draft>` argument and `--text` flag of the commands that read a draft (related, check). */
export function withDraftArgument(cmd: Command): Command {
  return cmd
    .argument('<draft>', 'a draft file, "-" to read the draft from standard input, or the draft itself with --text')
    .option('--text', 'take the argument as the draft text, even where it looks like a file path');
}

/** The tool input for the draft argument: stdin for `-`, else a file or text (a path that does not exist is an error). */
export async function draftInput(
  tool: string,
  draft: string,
  flags: Readonly<Record<string, unknown>>,
): Promise<{ text: string } | { path: string }> {
  return draft === '-' ? { text: await readStdin() } : draftArgument(tool, draft, flags['text'] === true);
}
