import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import type { AssistantHistory, AssistantResult } from '../../agent/assistant.js';
import type { AnswerSource, AssistantEvent, QuoteCheck } from '../../agent/events.js';
import { describeEndpoint, resolveLlmSettings, type LlmSettings } from '../../agent/llm-config.js';
import type { PriorsConfig } from '../../config/config.js';
import { PriorsError, errorMessage } from '../../core/errors.js';
import { useColor } from '../output.js';
import { cliToolContext } from '../tool-command.js';
import { intFlag } from '../parse-flags.js';
import { summary } from '../command-summaries.js';

interface ChatFlags {
  model?: string;
  index?: string;
  modelDir?: string;
  maxRounds?: string;
}

/** Loaded on use, so other commands don't pay for the openai client at startup. */
export const loadAssistant = () => import('../../agent/assistant.js');

/** Two Ctrl-C within this long at the prompt exit; one alone only says how to quit. */
const DOUBLE_INTERRUPT_MS = 3000;

const dim = (s: string, color: boolean) => (color ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string, color: boolean) => (color ? `\x1b[1m${s}\x1b[0m` : s);

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The sources list and the quotation checks that end every LLM answer in the terminal. */
export function formatSources(
  r: { sources: AnswerSource[]; quotes: QuoteCheck[]; verified: number; unverified: number },
  color: boolean,
): string {
  const lines: string[] = [];
  if (r.sources.length === 0) lines.push(dim('Sources: none cited', color));
  else {
    lines.push(bold('Sources', color));
    for (const s of r.sources) {
      lines.push(`  [${s.n}] ${s.title ?? s.docId}${s.date ? ` (${s.date})` : ''} — ${s.citation}`);
      if (s.url) lines.push(dim(`      ${s.url}`, color));
    }
  }
  if (r.quotes.length > 0) {
    lines.push(bold('Quotes', color));
    for (const q of r.quotes) {
      const mark = q.verified ? (color ? '\x1b[32m✓\x1b[0m' : '✓') : color ? '\x1b[31m✗\x1b[0m' : '✗';
      const where = q.verified
        ? `— ${q.citation}${q.verdict === 'verified_with_elisions' ? ' (with elisions)' : ''}`
        : '— UNVERIFIED: not found verbatim in the retrieved passages';
      lines.push(`  ${mark} "${short(q.quote, 72)}" ${dim(where, color && q.verified)}`);
    }
  }
  lines.push(`${r.verified} verified, ${r.unverified} unverified`);
  return lines.join('\n');
}

/**
 * Prints assistant events to a terminal: answer tokens to stdout as they arrive, tool activity as
 * dim lines on stderr (kept off stdout so the answer can be piped).
 */
export function terminalPrinter(color: boolean): { onEvent: (e: AssistantEvent) => void; endLine: () => void } {
  let atLineStart = true;
  let afterTools = false;
  let wroteAny = false;
  const args = new Map<string, unknown>();
  const endLine = () => {
    if (!atLineStart) process.stdout.write('\n');
    atLineStart = true;
  };
  return {
    endLine,
    onEvent(e) {
      switch (e.type) {
        case 'tool_call':
          args.set(e.id, e.arguments);
          break;
        case 'tool_result': {
          endLine();
          const a = args.get(e.id);
          const shown = short(typeof a === 'string' ? a : JSON.stringify(a ?? {}), 80);
          process.stderr.write(`${dim(`· ${e.name} ${shown} → ${e.ok ? e.summary : `error: ${short(e.summary, 120)}`}`, color)}\n`);
          afterTools = true;
          break;
        }
        case 'token': {
          let text = e.text;
          if (afterTools) {
            // One blank line between the tool lines and the answer on a terminal (or after a preamble
            // on stdout), whatever the model starts with; none at the start of piped output.
            text = text.replace(/^\n+/, '');
            if (text === '') break;
            if (wroteAny || process.stdout.isTTY) text = `\n${text}`;
            afterTools = false;
          }
          process.stdout.write(text);
          if (text) wroteAny = true;
          atLineStart = text.endsWith('\n');
          break;
        }
        default:
          break;
      }
    },
  };
}

export function registerChat(program: Command, config: () => PriorsConfig): void {
  program
    .command('chat')
    .description(summary('chat'))
    .option('--model <id>', 'LLM model (default: PRIORS_LLM_MODEL, the config file, or gpt-4o-mini on OpenAI)')
    .option('--index <path>', 'index location')
    .option('--model-dir <dir>', 'folder of local models, for embedding queries')
    .option('--max-rounds <n>', 'tool-calling rounds per answer (default 6)')
    .addHelpText(
      'after',
      '\nNeeds an OpenAI-compatible chat API: OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) with --model; or "llm": {"baseURL", "apiKey", "model"} in ./priors.config.json or ~/.config/priors/config.json.',
    )
    .action(async (flags: ChatFlags) => {
      const cfg = config();
      const llm = resolveLlmSettings(cfg, { model: flags.model });
      if (!llm.ok) throw new PriorsError(`priors chat: ${llm.message}`);
      await runChat(llm.settings, flags, cfg);
    });
}

async function runChat(llm: LlmSettings, flags: ChatFlags, cfg: PriorsConfig): Promise<void> {
  const maxRounds = intFlag(flags.maxRounds, '--max-rounds');
  const ctx = cliToolContext(flags, cfg);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const color = useColor(false);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, historySize: 500 });
  rl.setPrompt(color ? '\x1b[1mpriors›\x1b[0m ' : 'priors› ');
  // Take lines from the start: piped input may arrive (and end) while the index is still opening.
  const lines = rl[Symbol.asyncIterator]();

  let current: AbortController | null = null;
  let lastInterrupt = 0;
  const onInterrupt = () => {
    if (current) {
      current.abort();
      lastInterrupt = Date.now();
      return;
    }
    if (Date.now() - lastInterrupt < DOUBLE_INTERRUPT_MS) {
      rl.close();
      return;
    }
    lastInterrupt = Date.now();
    process.stdout.write(`\n${dim('(press Ctrl-C again or type /exit to quit)', color)}\n`);
    if (interactive) rl.prompt();
  };
  rl.on('SIGINT', onInterrupt);
  // Without a terminal readline never sees Ctrl-C; the process gets the signal instead.
  process.on('SIGINT', onInterrupt);

  try {
    // Fail now, not after the first question, when there is no index.
    await ctx.retriever();
    if (interactive) {
      process.stdout.write(
        `${dim(`priors chat — ${llm.model} at ${describeEndpoint(llm)}. /exit quits, /clear starts over, Ctrl-C cancels an answer.`, color)}\n`,
      );
      rl.prompt();
    }
    let history: AssistantHistory | undefined;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = next.value.trim();
      if (line === '/exit' || line === '/quit') break;
      if (line === '/clear') {
        history = undefined;
        process.stdout.write(`${dim('(conversation cleared)', color)}\n`);
      } else if (line === '/help') {
        process.stdout.write('Ask about your writing. /clear forgets the conversation, /exit quits; Ctrl-C cancels an answer.\n');
      } else if (line.startsWith('/')) {
        process.stdout.write(`unknown command ${line.split(/\s/)[0]} — try /help\n`);
      } else if (line !== '') {
        const result = await answerOnce(line, history, llm, ctx, maxRounds, color, (c) => (current = c));
        current = null;
        if (result) history = result.history;
      }
      if (interactive) rl.prompt();
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    rl.close();
    await ctx.close();
  }
}

/** One turn; null when it was cancelled or failed (the conversation then stays as it was). */
async function answerOnce(
  question: string,
  history: AssistantHistory | undefined,
  llm: LlmSettings,
  ctx: ReturnType<typeof cliToolContext>,
  maxRounds: number | undefined,
  color: boolean,
  setCurrent: (c: AbortController) => void,
): Promise<AssistantResult | null> {
  const abort = new AbortController();
  setCurrent(abort);
  const printer = terminalPrinter(color);
  const { AssistantCancelledError, runAssistant } = await loadAssistant();
  try {
    const result = await runAssistant({ question, history, ctx, llm, signal: abort.signal, onEvent: printer.onEvent, maxRounds });
    printer.endLine();
    process.stdout.write(`\n${formatSources(result, color)}\n\n`);
    return result;
  } catch (err) {
    printer.endLine();
    if (err instanceof AssistantCancelledError) process.stdout.write(`${dim('(cancelled)', color)}\n`);
    else process.stderr.write(`error: ${errorMessage(err)}\n`);
    return null;
  }
}
