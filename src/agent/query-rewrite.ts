/**
 * Query rewriting for the LLM path: the model turns one search query into a few reformulations
 * and a short hypothetical answer passage (HyDE), which the search tool searches alongside the
 * query and fuses. The author's questions often describe a thing instead of naming it, or say in
 * other words what a post says; an LLM knows the names and the words. Rewriting is an aid, never a
 * dependency: any failure (API error, timeout, malformed reply) gives back the plain query.
 */
import type OpenAI from 'openai';
import { DEFAULT_TIMEOUT_MS, type LlmSettings } from './llm-config.js';

/** Reformulations asked for and kept; with the hypothetical passage this stays within the search tool's cap. */
const MAX_REFORMULATIONS = 3;
/** Characters kept of each reformulation and of the hypothetical passage. */
const MAX_REFORMULATION_CHARS = 300;
const MAX_HYPOTHETICAL_CHARS = 1_000;
/** Characters of the query sent: the prompt stays bounded whatever the caller passes. */
const MAX_PROMPT_QUERY_CHARS = 2_000;
/** A rewrite waits at most this long (or the LLM's own timeout, if shorter); searching plainly is the alternative. */
export const REWRITE_TIMEOUT_MS = 20_000;

export const REWRITE_SYSTEM_PROMPT = `You rewrite search queries for a search engine over one author's own archive of newsletter posts, book chapters and interview transcripts. The engine matches words (BM25) and meaning, so other wordings find passages the query's words miss.
Reply with one JSON object and nothing else:
{"queries": ["...", "..."], "hypothetical": "..."}
- "queries": up to ${MAX_REFORMULATIONS} short alternative phrasings of the same need: synonyms, the specific name of a thing the query only describes (a model, paper, lab, person), the terms the author would use. Keep names, dates and quoted words of the query.
- "hypothetical": 2-3 sentences as the author might have written them in a passage that answers the query. It is only used to search; it need not be true.`;

export interface QueryRewrite {
  /** The original query first, then the reformulations (distinct, bounded). */
  queries: string[];
  /** A short passage that would answer the query, or null. */
  hypothetical: string | null;
}

export interface RewriteOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/**
 * Ask the LLM for reformulations of `query`. One bounded request (no retries: a search waits on
 * it), a JSON reply parsed leniently (code fences and prose around the object are tolerated).
 * Never throws: on any failure the result is `{queries: [query], hypothetical: null}`.
 */
export async function rewriteQuery(client: OpenAI, llm: LlmSettings, query: string, opts: RewriteOptions = {}): Promise<QueryRewrite> {
  const plain: QueryRewrite = { queries: [query], hypothetical: null };
  const timeout = Math.min(opts.timeoutMs ?? REWRITE_TIMEOUT_MS, llm.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
  try {
    const res = await client.chat.completions.create(
      {
        model: llm.model,
        messages: [
          { role: 'system', content: REWRITE_SYSTEM_PROMPT },
          { role: 'user', content: query.slice(0, MAX_PROMPT_QUERY_CHARS) },
        ],
        stream: false,
      },
      { signal, maxRetries: 0, timeout },
    );
    const parsed = parseRewrite(res.choices[0]?.message.content ?? '', query);
    return parsed ?? plain;
  } catch {
    // Deliberately silent: the search goes on with the plain query, as it would without an LLM.
    return plain;
  }
}

/** The reply's JSON object, validated and bounded; null when it holds nothing usable. */
export function parseRewrite(reply: string, query: string): QueryRewrite | null {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { queries, hypothetical } = value as Record<string, unknown>;
  const seen = new Set([query.trim().toLowerCase()]);
  const reformulations: string[] = [];
  for (const q of Array.isArray(queries) ? queries : []) {
    if (typeof q !== 'string') continue;
    const text = clip(q, MAX_REFORMULATION_CHARS);
    if (text === '' || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    reformulations.push(text);
    if (reformulations.length === MAX_REFORMULATIONS) break;
  }
  const passage = typeof hypothetical === 'string' ? clip(hypothetical, MAX_HYPOTHETICAL_CHARS) : '';
  if (reformulations.length === 0 && passage === '') return null;
  return { queries: [query, ...reformulations], hypothetical: passage === '' ? null : passage };
}

/** Whitespace collapsed, cut at a word boundary. */
function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.lastIndexOf(' ', max);
  return flat.slice(0, cut > max / 2 ? cut : max);
}
