import type { ProgramName } from './program-of.js';

/**
 * What the build knows that the bin needs before it loads anything: scripts/build.mjs replaces this module.
 * Run from source (`tsx src/cli/main.ts`) nothing is built, and the bin imports src/cli/programs/ itself.
 */
export const BUILT: {
  /** Each program (src/cli/programs/) bundled into one CommonJS file: its path relative to the bin, and a hash of its content (names its code cache). */
  programs: Record<ProgramName, { file: string; hash: string }>;
  /** `priors --help`, as the program's commander prints it into a pipe (80 columns). */
  help: string;
} | null = null;
