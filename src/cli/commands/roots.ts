import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { listRootsTool, removeRootTool } from '../../tools/roots.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

/** `priors roots list` and `priors roots remove NAME`: the collections the index remembers. */
export function registerRoots(program: Command, config: () => PriorsConfig): void {
  const roots = program
    .command('roots')
    .description('the roots (collections) the index remembers: list them, or remove one with its documents');
  withCommonOptions(
    roots.command('list', { isDefault: true }).description('each root with its folder, document count and settings'),
  ).action(async (flags: CommonFlags) => {
    await runToolCommand(listRootsTool, {}, flags, config());
  });
  withCommonOptions(
    roots
      .command('remove')
      .description('forget a root and remove its documents from the index (files are not touched)')
      .argument('<name>', 'root name, as `priors roots list` shows it'),
  ).action(async (name: string, flags: CommonFlags) => {
    await runToolCommand(removeRootTool, { name }, flags, config());
  });
}
