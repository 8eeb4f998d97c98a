import { colorDisabled } from '../config/env.js';

/** Output helpers shared by the CLI commands. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function warnLine(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** Something priors did that the user should know of, not a problem with their input. */
export function noteLine(message: string): void {
  process.stderr.write(`note: ${message}\n`);
}

export const useColor = (json: boolean) => !json && process.stdout.isTTY === true && !colorDisabled();
