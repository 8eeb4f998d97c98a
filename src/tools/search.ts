import * as z from 'zod';
import { groupByDocument } from '../search/grouping.js';
import { MAX_ALTERNATIVE_QUERIES, searchPhrasings } from '../search/multi-query.js';
import type { SearchHit, SearchMode } from '../search/types.js';
import { cappedText, TEXT_LIMITS } from './limits.js';
import { defineTool } from './tool.js';
import { filterFields, toFilters } from './filters-schema.js';
import { hitToJson, nextStepForAgent, passageSpeaker, type HitJson } from './hit-json.js';
import { hasTopic, nothingToMatch } from './nothing-to-match.js';

/** An alternative phrasing may be a short hypothetical passage, not only a question. */
const MAX_QUERY_PHRASING = 1_000;

export const searchInput = z
  .object({
    query: cappedText('query', TEXT_LIMITS.query).describe('what to look for, in natural language or keywords'),
    queries: z
      .array(cappedText('alternative query', MAX_QUERY_PHRASING))
      .max(MAX_ALTERNATIVE_QUERIES, `give at most ${MAX_ALTERNATIVE_QUERIES} alternative queries`)
      .optional()
      .describe(
        'other phrasings of the same need (synonyms, the named thing a description means, a short passage as the author might have written it); each is searched too and the lists are fused by rank',
      ),
    k: z.number().int().min(1).max(200).default(10).describe('number of passages to return'),
    mode: z.enum(['hybrid', 'bm25', 'vector']).default('hybrid').describe('hybrid (default), bm25 (keywords) or vector (meaning)'),
    group: z
      .enum(['chunk', 'document'])
      .default('chunk')
      .describe(
        "chunk: flat ranked passages; document: best passages per document, documents in rank order — each result's documentScore (its document's score, from all its matching passages and the request's cues) falls down the list, and score (the passage's own) orders a document's passages",
      ),
    perDoc: z.number().int().min(1).max(10).default(3).describe('with group=document: passages per document'),
    ...filterFields,
  })
  .strict();

export interface SearchOutput {
  query: string;
  /** The alternative phrasings searched with `query` and fused, when there were any. */
  queries?: string[];
  mode: SearchMode;
  results: HitJson[];
  /** Why there are no results when the request names nothing to look for ("the", "prior posts on"), and what to add. */
  note?: string;
}

/**
 * The results as listed: the first k passages, or grouped by document with each passage's documentScore, which is
 * what orders them (a later document's best passage may score higher than an earlier one's: its document has fewer
 * matching passages, or the request's cues favour the other).
 */
export function arrangeHits(hits: SearchHit[], group: 'chunk' | 'document', perDoc: number, k: number): HitJson[] {
  if (group === 'chunk') return hits.slice(0, k).map(hitToJson);
  return groupByDocument(hits, perDoc)
    .flatMap((g) => g.hits)
    .slice(0, k)
    .map((h) => ({ ...hitToJson(h), documentScore: Number(h.documentScore.toFixed(6)) }));
}

export const searchTool = defineTool({
  name: 'search',
  title: 'Search the archive',
  description:
    "Hybrid (keyword + meaning) search over the author's own archive of posts, book chapters and interview transcripts. Returns verbatim passages with title, date, URL, section, speaker and the file's line range (path:lineStart-lineEnd) for citing. Use it first to find what the author wrote about a topic; filter by date, type, tag, path or speaker. With group=document, results are ordered by their document's score (documentScore), not by each passage's score. A query naming no topic (only words like 'the' or 'prior posts on') returns no results and a `note` saying what to add.",
  input: searchInput,
  async run(ctx, input): Promise<SearchOutput> {
    const retriever = await ctx.retriever(input.mode);
    const mode = retriever.effectiveMode(input.mode);
    const asked = { query: input.query, ...(input.queries?.length ? { queries: input.queries } : {}), mode };
    // A phrasing without a topic would fuse arbitrary passages into the list: only the others are searched.
    const [query, ...others] = [input.query, ...(input.queries ?? [])].filter(hasTopic);
    if (query === undefined) return { ...asked, results: [], note: nothingToMatch(input.query) };
    // Document grouping needs a deeper pool so that k passages still cover several documents.
    const pool = input.group === 'document' ? Math.min(input.k * 4, 200) : input.k;
    const hits = await searchPhrasings(retriever, { query, k: pool, mode, filters: toFilters(input) }, others);
    return { ...asked, results: arrangeHits(hits, input.group, input.perDoc, input.k) };
  },
  toText(out, audience = 'human') {
    if (out.results.length === 0) return out.note ?? `No passages found for "${out.query}".`;
    const list = out.results
      .map((r, i) => {
        const head = [r.title ?? r.docId, r.date, passageSpeaker(r)].filter(Boolean).join(' · ');
        return `${i + 1}. ${head}\n   ${r.citation}${r.url ? ` · ${r.url}` : ''}\n${indent(r.displayText)}`;
      })
      .join('\n\n');
    return audience === 'agent' ? list + nextStepForAgent(out.results[0]) : list;
  },
});

export function indent(text: string, pad = '   '): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
