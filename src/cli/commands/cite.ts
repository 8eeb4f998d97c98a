import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import { citeTool } from '../../tools/cite.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';

/** `posts/a.md:12-18` → docId + lines; a docId that itself contains ':' still works without a range. */
export function parseCiteRef(ref: string): { docId: string; lineStart?: number; lineEnd?: number } {
  const m = /^(.+?):(\d+)(?:-(\d+))?$/.exec(ref);
  if (!m) return { docId: ref };
  const lineStart = Number(m[2]);
  const lineEnd = m[3] ? Number(m[3]) : lineStart;
  if (lineEnd < lineStart) throw new UsageError(`line range ${m[2]}-${m[3]} ends before it starts`);
  return { docId: m[1]!, lineStart, lineEnd };
}

/** Fields a `docId:lineStart-lineEnd` reference fills. */
export const REF_FIELDS = ['docId', 'lineStart', 'lineEnd'] as const;

export function registerCite(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(citeTool, { omit: REF_FIELDS });
  withCommonOptions(
    options.add(
      program.command('cite').description(summary('cite')).argument('<ref>', 'docId or docId:lineStart-lineEnd (as printed by search/ask)'),
    ),
  ).action(async (ref: string, flags: CommonFlags & Record<string, unknown>) => {
    await runToolCommand(citeTool, { ...options.input(flags), ...parseCiteRef(ref) }, flags, config());
  });
}
