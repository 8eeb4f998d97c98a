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

export const useColor = (json: boolean) => !json && process.stdout.isTTY === true && !colorDisabled();
