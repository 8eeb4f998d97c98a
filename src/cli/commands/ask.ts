import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { PriorsConfig } from '../../config/config.js';
import { resolveLlmSettings, type LlmSettings } from '../../agent/llm-config.js';
import { IndexMissingError } from '../../core/errors.js';
import { askTool, inBook, type AskOutput } from '../../tools/ask.js';
import { ansiHighlighter } from '../../tools/highlight.js';
import type { ToolContext } from '../../tools/tool.js';
import { filterFields } from '../../tools/filters-schema.js';
import { intFlag } from '../parse-flags.js';
import { schemaOptions } from '../schema-options.js';
import { cliToolContext, runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { printJson, useColor, warnLine } from '../output.js';
import { formatSources, loadAssistant, terminalPrinter } from './chat.js';
import { summary } from '../command-summaries.js';

interface AskFlags extends CommonFlags {
  llm?: boolean;
  model?: string;
  maxRounds?: string;
}

function renderAsk(out: AskOutput): string {
  if (out.documents.length === 0) return askTool.toText(out);
  const hl = ansiHighlighter(out.question);
  return out.documents
    .map((d, i) => {
      const head = `\x1b[1m${i + 1}. ${d.title ?? d.docId}\x1b[0m${inBook(d)}${d.date ? ` (${d.date})` : ''}${d.url ? `\n   \x1b[2m${d.url}\x1b[0m` : ''}`;
      const passages = d.passages
        .map((p) => {
          const who = p.speaker ? `${p.speaker}${p.timestamp ? ` [${p.timestamp}]` : ''}: ` : '';
          const body = hl(p.text)
            .split('\n')
            .map((l) => `   \x1b[2m│\x1b[0m ${l}`)
            .join('\n');
          return `${who ? `   ${who}\n` : ''}${body}\n   \x1b[2m— ${p.citation}\x1b[0m`;
        })
        .join('\n\n');
      return `${head}\n${passages}`;
    })
    .join('\n\n');
}

export function registerAsk(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(askTool, { omit: ['question'], flagNames: { documents: 'docs' } });
  withCommonOptions(
    options.add(program.command('ask').description(summary('ask')).argument('<question...>', 'e.g. "prior posts on calibration"')),
  )
    .option('--llm', 'answer with an LLM (OpenAI-compatible API, see `priors chat --help`) that searches and quotes the archive')
    .option('--model <id>', 'with --llm: the LLM model (default: PRIORS_LLM_MODEL, the config file, or gpt-4o-mini on OpenAI)')
    .option('--max-rounds <n>', 'with --llm: tool-calling rounds (default 6)')
    .action(async (words: string[], flags: AskFlags & Record<string, unknown>) => {
      const input = options.input(flags);
      const cfg = config();
      const index = flags.index ?? cfg.index;
      // First run on a fresh clone: build the index from the corpus folder instead of failing.
      const ensureIndex = async (ctx: ToolContext) => {
        try {
          await ctx.retriever();
        } catch (err) {
          if (!(err instanceof IndexMissingError) || !existsSync(cfg.corpus)) throw err;
          if (!flags.json) process.stderr.write(`no index yet — indexing ${cfg.corpus} first\n`);
          const { runIngest, printIngestReport } = await import('../run-ingest.js');
          const report = await runIngest([cfg.corpus], { index, json: flags.json === true, modelDir: flags.modelDir }, cfg);
          if (!flags.json) printIngestReport(report, false);
        }
      };
      if (flags.llm) {
        const llm = resolveLlmSettings(cfg, { model: flags.model });
        if (llm.ok) return askWithLlm(words.join(' '), filterNote(input), llm.settings, flags, cfg, ensureIndex);
        warnLine(`--llm: ${llm.message}; showing the offline answer instead`);
      } else if (flags.model !== undefined) {
        warnLine("--model chooses the LLM and only applies with --llm (the embedding model is the index's own)");
      }
      await runToolCommand(askTool, { ...input, question: words.join(' ') }, flags, cfg, {
        before: ensureIndex,
        render: (out) => (useColor(false) ? renderAsk(out) : askTool.toText(out)),
      });
    });
}

/** Filter flags become an instruction: the model passes them on to its searches. */
function filterNote(input: Record<string, unknown>): string {
  const parts = Object.keys(filterFields)
    .filter((k) => input[k] !== undefined)
    .map((k) => `${k}=${Array.isArray(input[k]) ? JSON.stringify(input[k]) : String(input[k])}`);
  return parts.length ? `\n\n(Only use documents matching these search filters: ${parts.join(', ')}.)` : '';
}

async function askWithLlm(
  question: string,
  /** The filter flags, said to the model. */
  note: string,
  llm: LlmSettings,
  flags: AskFlags,
  cfg: PriorsConfig,
  ensureIndex: (ctx: ToolContext) => Promise<void>,
): Promise<void> {
  const json = flags.json === true;
  const color = useColor(json);
  const ctx = cliToolContext(flags, cfg);
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  const printer = terminalPrinter(color);
  const { AssistantCancelledError, runAssistant } = await loadAssistant();
  try {
    await ensureIndex(ctx);
    const r = await runAssistant({
      question: question + note,
      ctx,
      llm,
      signal: abort.signal,
      maxRounds: intFlag(flags.maxRounds, '--max-rounds'),
      onEvent: json ? undefined : printer.onEvent,
    });
    if (json) {
      printJson({ question, answer: r.answer, sources: r.sources, quotes: r.quotes, verified: r.verified, unverified: r.unverified });
    } else {
      printer.endLine();
      process.stdout.write(`\n${formatSources(r, color)}\n`);
    }
  } catch (err) {
    if (!json) printer.endLine();
    if (err instanceof AssistantCancelledError) process.stderr.write('(cancelled)\n');
    throw err;
  } finally {
    process.off('SIGINT', onInterrupt);
    await ctx.close();
  }
}
