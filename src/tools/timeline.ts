import * as z from 'zod';
import { groupByDocument } from '../search/grouping.js';
import { cappedText, TEXT_LIMITS } from './limits.js';
import { defineTool } from './tool.js';
import { filterFields, toFilters } from './filters-schema.js';
import { passageSpeaker, hitToJson, type HitJson } from './hit-json.js';
import type { DocumentHeader } from '../core/types.js';

export const timelineInput = z
  .object({
    topic: cappedText('topic', TEXT_LIMITS.query).describe('the subject whose treatment over time you want to see'),
    limit: z.number().int().min(1).max(50).default(12).describe('most relevant documents to place on the timeline'),
    ...filterFields,
  })
  .strict();

export interface TimelineEntry extends DocumentHeader {
  relevance: number;
  passage: HitJson;
}

export interface TimelineOutput {
  topic: string;
  entries: TimelineEntry[];
}

export const timelineTool = defineTool({
  name: 'timeline',
  title: 'How a view changed over time',
  description:
    "For a topic, the author's most relevant passage from each of the most relevant documents, in date order (oldest first, undated last), so you can see how their view evolved. Each entry has the date, title, URL and a verbatim passage with its path:line citation.",
  input: timelineInput,
  async run(ctx, input): Promise<TimelineOutput> {
    const retriever = await ctx.retriever();
    const hits = await retriever.search({ query: input.topic, k: 200, filters: toFilters(input) });
    const entries = groupByDocument(hits, 1)
      .slice(0, input.limit)
      .map((g) => {
        const best = g.hits[0]!;
        return {
          date: best.date,
          docId: g.docId,
          title: best.title,
          url: best.url,
          relevance: Number(g.score.toFixed(6)),
          passage: hitToJson(best),
        };
      })
      .sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff'));
    return { topic: input.topic, entries };
  },
  toText(out) {
    if (out.entries.length === 0) return `Nothing in the archive on "${out.topic}".`;
    return out.entries
      .map((e) => {
        const who = passageSpeaker(e.passage);
        return `${e.date ?? 'undated'} — ${e.title ?? e.docId}${who ? ` · ${who}` : ''}\n  ${e.passage.citation}\n  > ${e.passage.displayText.replace(/\n/g, '\n  > ')}`;
      })
      .join('\n\n');
  },
});
