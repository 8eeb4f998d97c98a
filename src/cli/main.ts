#!/usr/bin/env node
/**
 * The `priors` bin. `--version` and `--help` print text known at build time and load nothing else; every
 * other command runs the CLI program that serves it (program-of.ts), bundled into one CommonJS file that
 * loads through V8's code cache (code-cache.ts). A cold start thus costs little more than Node's own plus
 * the command's work (BENCHMARKS.md, "Cold start").
 */
import { fileURLToPath } from 'node:url';
import { compileCacheDir, usePrivateTempDir } from '../config/env.js';
import { VERSION } from '../version.js';
import { BUILT } from './build-info.js';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';
import { loadWithCodeCache } from './code-cache.js';
import { PROGRAM_OF, type ProgramName } from './program-of.js';
import { exitWhenWritten, stdoutIsTerminal, writeOut } from './stdio.js';

type Program = typeof import('./programs/top.js');

/** What commander would print for these arguments, when it is known without loading commander. */
function staticAnswer(args: readonly string[]): string | undefined {
  if (args.length !== 1) return undefined;
  if (args[0] === '--version' || args[0] === '-V') return `${VERSION}\n`;
  if (args[0] !== '--help' && args[0] !== '-h' && args[0] !== 'help') return undefined;
  // Commander wraps help to the terminal's width, or to 80 columns when output is not a terminal: the
  // width the stored text was made for.
  const width = stdoutIsTerminal() ? process.stdout.columns : 80;
  return width === 80 ? BUILT?.help : undefined;
}

async function loadProgram(name: ProgramName, command: string): Promise<{ program: Program; save(): void }> {
  if (!BUILT) {
    // From source: a computed specifier, so that the build does not bundle the programs a second time.
    const source = `./programs/${name}.js`;
    return { program: (await import(source)) as Program, save() {} };
  }
  const dir = compileCacheDir();
  const built = BUILT.programs[name];
  const loaded = loadWithCodeCache(
    fileURLToPath(new URL(built.file, import.meta.url)),
    dir === null ? null : { dir, name, build: built.hash, variant: command },
  );
  return { program: loaded.exports as Program, save: loaded.save };
}

async function main(args: readonly string[]): Promise<void> {
  const answer = staticAnswer(args);
  if (answer !== undefined) {
    writeOut(answer);
    return;
  }
  usePrivateTempDir();
  const word = args[0] === 'help' ? args[1] : args[0];
  const command = word !== undefined && Object.hasOwn(COMMAND_SUMMARIES, word) ? (word as CommandName) : undefined;
  const { program, save } = await loadProgram(command ? PROGRAM_OF[command] : 'top', command ?? 'priors');
  await program.runCli(args, program.commands);
  save();
  // Every command's action returns when the command is done (a server once it was stopped, a watch once
  // interrupted): nothing is left to run.
  await exitWhenWritten();
}

void main(process.argv.slice(2));
