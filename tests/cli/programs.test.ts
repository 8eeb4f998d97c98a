import { describe, expect, it } from 'vitest';
import { COMMAND_SUMMARIES, type CommandName } from '../../src/cli/command-summaries.js';
import { PROGRAM_OF } from '../../src/cli/program-of.js';

describe('CLI programs (one bundle each)', () => {
  it('the program each command is routed to registers it, and no other program does', async () => {
    const names = Object.keys(COMMAND_SUMMARIES) as CommandName[];
    for (const program of new Set(Object.values(PROGRAM_OF))) {
      const { commands } = (await import(`../../src/cli/programs/${program}.ts`)) as { commands: Record<string, unknown> };
      expect(Object.keys(commands).sort()).toEqual(names.filter((n) => PROGRAM_OF[n] === program).sort());
    }
  });
});
