import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { cappedText, TEXT_LIMITS } from '../tools/limits.js';

/** A one-line argument ending in a text-file extension is a path to the draft, not the draft itself. */
export function looksLikeDraftPath(draft: string): boolean {
  const s = draft.trim();
  return !s.includes('\n') && s.length < 1024 && /\.(md|mdx|markdown|txt)$/i.test(s);
}

const RULES =
  'Quote only text the priors tools returned, with its path:line citation; check any sentence you attribute to me with `quote` first. Use `cite` when I need a ready-to-paste citation.';

function userMessage(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

export function priorWritingPrompt(draft: string): GetPromptResult {
  const source = looksLikeDraftPath(draft)
    ? `Call \`related\` with {"path": ${JSON.stringify(draft.trim())}} (my draft file); if the server may not read that folder, read the file yourself and pass its text.`
    : 'Call `related` with the draft below as `text`.';
  return userMessage(
    [
      'Find what I have already written that bears on my draft, using the priors tools (my own archive).',
      `1. ${source}`,
      '2. For the strongest matches, read around the passages with `get_document` when the passage alone is not enough; use `search` for any claim of the draft that `related` missed.',
      '3. Report per prior piece: title, date and URL; what I said there, quoted verbatim with its citation; and whether the draft repeats, extends or contradicts it. End with the draft passages that have no precedent in my archive.',
      RULES,
      ...(looksLikeDraftPath(draft) ? [] : ['', '<draft>', draft, '</draft>']),
    ].join('\n'),
  );
}

export function viewsOverTimePrompt(topic: string): GetPromptResult {
  return userMessage(
    [
      `How has my thinking on "${topic}" changed over time? Use the priors tools (my own archive).`,
      '1. Call `timeline` with this topic for my most relevant passage per document, oldest first.',
      '2. Where the timeline is thin or a shift is unclear, call `search` (group "document", optionally with since/until) for more.',
      '3. Write a short chronological account: each stage with its date, a verbatim quote and its citation, and what changed from the previous stage. Say plainly where I contradicted myself.',
      RULES,
    ].join('\n'),
  );
}

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'find_prior_writing',
    {
      title: 'Find prior writing for this draft',
      description:
        'What have I already written that this draft repeats, extends or contradicts? Give the draft text or a path to the draft file.',
      argsSchema: { draft: cappedText('draft', TEXT_LIMITS.draft).describe('the draft text, or an absolute path to the draft file') },
    },
    ({ draft }) => priorWritingPrompt(draft),
  );
  server.registerPrompt(
    'views_over_time',
    {
      title: 'How my view on a topic changed',
      description: 'A dated account, with verbatim quotes and citations, of how my writing on a topic evolved.',
      argsSchema: { topic: cappedText('topic', TEXT_LIMITS.query).describe('the topic, e.g. "remote work"') },
    },
    ({ topic }) => viewsOverTimePrompt(topic),
  );
}
