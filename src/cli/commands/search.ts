import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import type { PriorsConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import { ansiHighlighter } from '../../tools/highlight.js';
import { searchTool, type SearchOutput } from '../../tools/search.js';
import { callTool } from '../../tools/tool.js';
import { schemaOptions } from '../schema-options.js';
import { cliToolContext, runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { useColor } from '../output.js';
import { summary } from '../command-summaries.js';

interface SearchFlags extends CommonFlags {
  batch?: string;
}

function renderSearch(out: SearchOutput): string {
  const hl = ansiHighlighter(out.query);
  if (out.results.length === 0) return `No passages found for "${out.query}".`;
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

/** `--batch queries.jsonl`: one `{"id","query"}` per line in, one `{"id","results"}` per line out; model and index load once. */
async function runBatch(file: string, base: Record<string, unknown>, flags: SearchFlags, config: PriorsConfig): Promise<void> {
  const ctx = cliToolContext(flags, config);
  try {
    // node:readline only for --batch: Node compiles it on first load, which a single search need not pay.
    const { createInterface } = await import('node:readline');
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let rec: { id?: unknown; query?: unknown };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        throw new UsageError(`${file}:${n}: not valid JSON`);
      }
      if (typeof rec.query !== 'string' || (typeof rec.id !== 'string' && typeof rec.id !== 'number')) {
        throw new UsageError(`${file}:${n}: each line needs "id" and "query" fields`);
      }
      const out = await callTool(searchTool, ctx, { ...base, query: rec.query });
      process.stdout.write(`${JSON.stringify({ id: String(rec.id), results: out.results })}\n`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--batch: no such file ${file}`);
    throw err;
  } finally {
    await ctx.close();
  }
}

export function registerSearch(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(searchTool, { omit: ['query'], short: { k: 'k' } });
  withCommonOptions(options.add(program.command('search').description(summary('search')).argument('[query...]', 'what to look for')))
    .option('--batch <queries.jsonl>', 'run many queries: lines of {"id","query"}; prints JSON lines')
    .action(async (words: string[], flags: SearchFlags & Record<string, unknown>) => {
      const base = options.input(flags);
      if (flags.batch) {
        if (words.length) throw new UsageError('give either a query or --batch, not both');
        return runBatch(flags.batch, base, flags, config());
      }
      await runToolCommand(searchTool, { ...base, query: words.join(' ') }, flags, config(), {
        render: (out) => (useColor(false) ? renderSearch(out) : searchTool.toText(out)),
      });
    });
}
