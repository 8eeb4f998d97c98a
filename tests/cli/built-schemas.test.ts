import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_SUMMARIES, type CommandName } from '../../src/cli/command-summaries.js';
import type { CommandTable } from '../../src/cli/program.js';
import { PROGRAM_OF } from '../../src/cli/program-of.js';
import { loadConfig } from '../../src/config/config.js';
import { CLI } from '../helpers/paths.js';

/**
 * The bundles carry each tool's JSON Schema as the build derived it (src/tools/built-schemas.ts) instead of converting
 * the zod schemas at run time; these tests hold the built CLI to what the source derives now, so the two cannot drift.
 * (tests/mcp/stdio.test.ts does the same for the full schemas the built MCP server lists.)
 */
describe('the built CLI describes every command as the source does', () => {
  it('each command --help, whose options come from its tool schema, equals the help from source', async () => {
    for (const name of Object.keys(COMMAND_SUMMARIES) as CommandName[]) {
      const { commands } = (await import(`../../src/cli/programs/${PROGRAM_OF[name]}.ts`)) as { commands: CommandTable };
      let help = '';
      const program = new Command()
        .name('priors')
        .configureOutput({ writeOut: (s) => (help += s), getOutHelpWidth: () => 80, getOutHasColors: () => false });
      (await commands[name]!())(program, loadConfig);
      program.commands.find((c) => c.name() === name)!.outputHelp();
      const built = spawnSync(process.execPath, [CLI, name, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(built.stdout, name).toBe(help);
    }
  });
});
