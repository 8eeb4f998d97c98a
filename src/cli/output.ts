import { colorDisabled } from '../config/env.js';
import { stdoutIsTerminal, writeErr, writeOut } from './stdio.js';

/** Output helpers shared by the CLI commands. */
export function printJson(value: unknown): void {
  writeOut(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  writeOut(`${text}\n`);
}

export function warnLine(message: string): void {
  writeErr(`warning: ${message}\n`);
}

/** Something priors did that the user should know of, not a problem with their input. */
export function noteLine(message: string): void {
  writeErr(`note: ${message}\n`);
}

export const useColor = (json: boolean) => !json && !colorDisabled() && stdoutIsTerminal();
