import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { BENCHMARKS_MD } from './paths.js';

/** One line naming the machine, so figures are read against what produced them. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * `text` with the block between the `start` and `end` markers replaced by `body` (markers kept), or with the
 * block appended when the markers are not there yet, so reruns never duplicate a section.
 */
export function upsertMarked(text: string, start: string, end: string, body: string): string {
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  return i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
}

/**
 * Replace (or append) the section between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in
 * BENCHMARKS.md, so each script owns its section and reruns never duplicate it.
 */
export function writeBenchSection(name: string, body: string): void {
  const current = existsSync(BENCHMARKS_MD)
    ? readFileSync(BENCHMARKS_MD, 'utf8')
    : '# Benchmarks\n\nEvery figure below is written by the script named in its section; none is typed in by hand.\n';
  writeFileSync(BENCHMARKS_MD, upsertMarked(current, `<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`, body));
}

export function mdTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
