/**
 * What the build knows that the bin needs before it loads anything: scripts/build.mjs replaces this module.
 * Run from source (`tsx src/cli/main.ts`) nothing is built, and the bin imports src/cli/program.ts itself.
 */
export const BUILT: {
  /** The CLI program bundled into one CommonJS file, relative to the bin (loaded through src/cli/code-cache.ts). */
  program: string;
  /** A hash of that file's content: names its code cache. */
  programHash: string;
  /** `priors --help`, as the program's commander prints it into a pipe (80 columns). */
  help: string;
} | null = null;
