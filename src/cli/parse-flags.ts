import { UsageError } from '../core/errors.js';

/** Commander hands flags over as strings; tools want numbers and lists. */
export function intFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return n;
}

export function listFlag(value: string[] | string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * The index an argument list names with `--index` (either of commander's spellings, before a `--`), read before
 * commander has the command's options: a guess to start opening it by (src/cli/program.ts), never an answer.
 */
export function indexArgument(args: readonly string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === '--') return undefined;
    if (arg === '--index') return args[i + 1];
    if (arg.startsWith('--index=')) return arg.slice('--index='.length);
  }
  return undefined;
}
