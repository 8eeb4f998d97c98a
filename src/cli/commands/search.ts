import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import type { PriorsConfig } from '../../config/config.js';
import { type ErrorKind, errorKind, errorMessage, UsageError } from '../../core/errors.js';
import { ansiHighlighter } from '../../tools/highlight.js';
import { searchTool, type SearchOutput } from '../../tools/search.js';
import { callTool } from '../../tools/tool.js';
import { schemaOptions } from '../schema-options.js';
import { cliToolContext, runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { noteLine, useColor } from '../output.js';
import { writeErr, writeOut } from '../stdio.js';
import { summary } from '../command-summaries.js';

interface SearchFlags extends CommonFlags {
  batch?: string;
}

function renderSearch(out: SearchOutput): string {
  const hl = ansiHighlighter(out.query);
  if (out.results.length === 0) return searchTool.toText(out);
  return out.results
    .map((r, i) => {
      const who = r.speaker ? ` · ${r.speaker}${r.timestamp ? ` [${r.timestamp}]` : ''}` : '';
      const head = `\x1b[1m${i + 1}. ${r.title ?? r.docId}\x1b[0m${r.date ? ` (${r.date})` : ''}${who}`;
      const where = `\x1b[2m${r.citation}${r.section ? ` · ${r.section}` : ''}${r.url ? ` · ${r.url}` : ''}\x1b[0m`;
      return `${head}\n   ${where}\n${hl(r.text)
        .split('\n')
        .map((l) => `   ${l}`)
        .join('\n')}`;
    })
    .join('\n\n');
}

/** The fields a query line may name its id and text with: priors' own `{id, query}`, and BEIR's `queries.jsonl` `{_id, text}`. */
const ID_FIELDS = ['id', '_id', 'qid'] as const;
const QUERY_FIELDS = ['query', 'text', 'question'] as const;

/** Errors that belong to one line of a batch (its JSON, its fields, its query); anything else (no index, a lock) ends the batch. */
const LINE_ERROR_KINDS: ReadonlySet<ErrorKind> = new Set(['usage', 'too_large']);

/** Parse one batch line into an id (the line number when it names none) and a query, or say what is wrong with it. */
function parseBatchLine(line: string, n: number): { id: string; query?: string; problem?: string } {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return { id: String(n), problem: 'not valid JSON' };
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return { id: String(n), problem: 'not a JSON object' };
  const fields = rec as Record<string, unknown>;
  const idValue = ID_FIELDS.map((f) => fields[f]).find((v) => typeof v === 'string' || typeof v === 'number');
  const id = idValue === undefined ? String(n) : String(idValue);
  const query = QUERY_FIELDS.map((f) => fields[f]).find((v) => typeof v === 'string');
  if (query === undefined) return { id, problem: 'needs a "query" (or "text") string field' };
  return { id, query };
}

/**
 * `--batch queries.jsonl`: one `{"id","query"}` per line in, one `{"id","results"}` per line out; model and index
 * load once. A bad line (broken JSON, no query, a query the tool refuses) gets a one-line warning naming
 * file:line and an `{"id","error"}` line in its place, and the batch goes on: one typo must not cost the other
 * answers. The run still exits non-zero when any line failed.
 */
async function runBatch(file: string, base: Record<string, unknown>, flags: SearchFlags, config: PriorsConfig): Promise<void> {
  const ctx = cliToolContext(flags, config);
  let n = 0;
  let failed = 0;
  let noted = false;
  try {
    // node:readline only for --batch: Node compiles it on first load, which a single search need not pay.
    const { createInterface } = await import('node:readline');
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      // A binary file (a wrong path) would otherwise warn once per "line" of it, thousands of times.
      if (line.includes('\0')) throw new UsageError(`--batch: ${file} is a binary file (NUL bytes at line ${n}), not JSON lines`);
      const { id, query, problem } = parseBatchLine(line, n);
      let error = problem;
      if (query !== undefined) {
        try {
          const out = await callTool(searchTool, ctx, { ...base, query });
          if (!noted) noted = noteModeFallback(base.mode, out.mode);
          writeOut(`${JSON.stringify({ id, results: out.results })}\n`);
          continue;
        } catch (err) {
          if (!LINE_ERROR_KINDS.has(errorKind(err))) throw err;
          error = errorMessage(err);
        }
      }
      failed++;
      writeErr(`warning: ${file}:${n}: ${error}\n`);
      writeOut(`${JSON.stringify({ id, error })}\n`);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`--batch: no such file ${file}`);
    if (code === 'EISDIR') throw new UsageError(`--batch: ${file} is a folder, not a file`);
    throw err;
  } finally {
    await ctx.close();
  }
  if (failed > 0) throw new UsageError(`--batch: ${failed} of ${n} lines of ${file} failed (named above); the others were answered`);
}

/**
 * `--mode vector` on a full-text-only index runs keyword search (the tool reports `mode: "bm25"`): say so on stderr,
 * once, or the user reads keyword results as meaning search. True when the notice was printed.
 */
function noteModeFallback(requested: unknown, used: string): boolean {
  if (requested !== 'vector' || used === 'vector') return false;
  noteLine('--mode vector needs an index with vectors; this search ran bm25 (keywords)');
  return true;
}

export function registerSearch(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(searchTool, { omit: ['query'], short: { k: 'k' } });
  withCommonOptions(options.add(program.command('search').description(summary('search')).argument('[query...]', 'what to look for')))
    .option('--batch <queries.jsonl>', 'run many queries: lines of {"id","query"} (or BEIR\'s {"_id","text"}); prints JSON lines')
    .action(async (words: string[], flags: SearchFlags & Record<string, unknown>) => {
      const base = options.input(flags);
      if (flags.batch) {
        if (words.length) throw new UsageError('give either a query or --batch, not both');
        return runBatch(flags.batch, base, flags, config());
      }
      const out = await runToolCommand(searchTool, { ...base, query: words.join(' ') }, flags, config(), {
        // The index opens on LanceDB's threads while this one validates the input: ~1 ms of a cold search. A failed
        // open is reported by the search's own call, which opens again.
        before: async (ctx) => void ctx.store().catch(() => undefined),
        render: (out) => (useColor(false) ? renderSearch(out) : searchTool.toText(out)),
      });
      noteModeFallback(base.mode, out.mode);
    });
}
