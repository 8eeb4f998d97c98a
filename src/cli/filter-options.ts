import type { Command } from 'commander';
import { collect } from './parse-flags.js';

export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--since <date>', 'only documents dated on or after (2024, 2024-06, 2024-06-30)')
    .option('--until <date>', 'only documents dated on or before')
    .option('--type <type>', 'post, transcript, record, text (repeatable or comma-separated)', collect)
    .option('--tag <tag>', 'documents with this tag (repeatable)', collect)
    .option('--path <glob>', 'documents whose path matches, e.g. "posts/2024/**"')
    .option('--speaker <name>', 'transcript turns by this speaker');
}
