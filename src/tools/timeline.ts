import * as z from 'zod';
import type { DocumentHeader } from '../core/types.js';
import { aboveRelevanceFloor, groupByDocument, type DocumentGroup } from '../search/grouping.js';
import { isRoundupTitle } from '../search/retriever.js';
import { filterFields, toFilters } from './filters-schema.js';
import { documentOfHit, hitToJson, passageSpeaker, type HitJson } from './hit-json.js';
import { cappedText, TEXT_LIMITS } from './limits.js';
import { hasTopic, nothingToMatch } from './nothing-to-match.js';
import { defineTool } from './tool.js';

export const timelineInput = z
  .object({
    topic: cappedText('topic', TEXT_LIMITS.query).describe('the subject whose treatment over time you want to see'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(12)
      .describe('dated documents to place on the timeline; every year that mentions the topic gets at least one while the limit allows'),
    undated: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(5)
      .describe('undated documents (e.g. book chapters) to list apart, most relevant first; 0 for none'),
    ...filterFields,
  })
  .strict();

/** One document on the timeline (the JSON contract of `priors timeline --json`, the page's timeline view). */
export interface TimelineEntry extends DocumentHeader {
  type: string;
  root: string;
  /** Score of the document's best passage for the topic (higher is more relevant; comparable within one answer). */
  relevance: number;
  /** A year-in-review, roundup, link list or digest: it lists other posts, so it is shown only when its year has nothing else. */
  roundup: boolean;
  /** The document's most relevant passage, verbatim, with its citation. */
  passage: HitJson;
}

/** How much one year says about the topic. */
export interface TimelineYear {
  year: number;
  /** Documents of that year that mention the topic (their best passage clears the relevance floor). */
  count: number;
  /** How many of them are entries of this answer. */
  shown: number;
}

export interface TimelineOutput {
  topic: string;
  /** Dated documents, oldest first (ties by relevance). */
  entries: TimelineEntry[];
  /** Undated documents (book chapters, notes without a date), apart from the timeline, most relevant first. */
  undated: TimelineEntry[];
  /** Every year with a document that mentions the topic, oldest first; years without one are left out. */
  years: TimelineYear[];
  /** Undated documents that mention the topic (as `count` for a year). */
  undatedCount: number;
  /** Why the timeline is empty when the topic names nothing to look for ("first", "the book"), and what to add. */
  note?: string;
}

/** Passages searched for the topic: deep enough that the per-year counts cover the archive, not only the top. */
const POOL = 400;

function yearOf(date: string | null): number | null {
  const m = date ? /^(\d{4})/.exec(date) : null;
  return m ? Number(m[1]) : null;
}

/** A candidate document and its place in the search's document ranking (which already demotes roundups). */
interface Candidate {
  entry: TimelineEntry;
  rank: number;
}

function toEntry(g: DocumentGroup): TimelineEntry {
  const best = g.hits[0]!;
  return {
    ...documentOfHit(best),
    root: best.root,
    relevance: Number(g.score.toFixed(6)),
    roundup: isRoundupTitle(best.title),
    passage: hitToJson(best),
  };
}

/**
 * The dated entries, up to `limit`: first the best document of every year (years compete by their best document
 * when there are more years than entries), so the most recent years appear even when older posts rank higher;
 * the other entries go to the years in proportion to how many of their documents mention the topic (each next
 * one to the year with the most mentions per entry so far), each year's best first. Roundups come after every
 * other document of their year.
 */
function pickDated(docs: readonly Candidate[], limit: number): TimelineEntry[] {
  const order = (a: Candidate, b: Candidate) => Number(a.entry.roundup) - Number(b.entry.roundup) || a.rank - b.rank;
  const byYear = new Map<number, Candidate[]>();
  for (const d of docs) {
    const y = yearOf(d.entry.date)!;
    byYear.set(y, [...(byYear.get(y) ?? []), d]);
  }
  const years = [...byYear.values()].map((list) => ({ list: [...list].sort(order), taken: 0 }));
  years.sort((a, b) => order(a.list[0]!, b.list[0]!));
  const picked: Candidate[] = [];
  for (const y of years.slice(0, limit)) picked.push(y.list[y.taken++]!);
  while (picked.length < limit) {
    let next: (typeof years)[number] | null = null;
    for (const y of years) {
      if (y.taken < y.list.length && (!next || y.list.length / (y.taken + 1) > next.list.length / (next.taken + 1))) next = y;
    }
    if (!next) break;
    picked.push(next.list[next.taken++]!);
  }
  return picked.sort((a, b) => (a.entry.date ?? '').localeCompare(b.entry.date ?? '') || a.rank - b.rank).map((c) => c.entry);
}

export const timelineTool = defineTool({
  name: 'timeline',
  title: 'How a view changed over time',
  description:
    "For a topic, how the author's writing on it developed: `entries` are the most relevant dated documents in date order (oldest first), each with its most relevant verbatim passage and path:line citation, and every year that mentions the topic is represented while `limit` allows; year-in-review posts, roundups and digests (`roundup: true`) are shown only when their year has nothing else. `undated` lists undated documents such as book chapters apart. `years` counts, per year, the documents that mention the topic (`count`) and how many are shown (`shown`); `undatedCount` the undated ones.",
  input: timelineInput,
  async run(ctx, input): Promise<TimelineOutput> {
    const retriever = await ctx.retriever();
    if (!hasTopic(input.topic))
      return { topic: input.topic, entries: [], undated: [], years: [], undatedCount: 0, note: nothingToMatch(input.topic) };
    const hits = await retriever.search({ query: input.topic, k: POOL, filters: toFilters(input) });
    const groups = groupByDocument(hits, 1);
    const mentions = aboveRelevanceFloor(groups).map((g, rank) => ({ entry: toEntry(g), rank }));
    const dated = mentions.filter((c) => yearOf(c.entry.date) !== null);
    const undatedAll = mentions.filter((c) => yearOf(c.entry.date) === null).map((c) => c.entry);
    const entries = pickDated(dated, input.limit);
    const years = new Map<number, TimelineYear>();
    for (const { entry: e } of dated) {
      const year = yearOf(e.date)!;
      const y = years.get(year) ?? { year, count: 0, shown: 0 };
      y.count++;
      if (entries.includes(e)) y.shown++;
      years.set(year, y);
    }
    return {
      topic: input.topic,
      entries,
      undated: undatedAll.slice(0, input.undated),
      years: [...years.values()].sort((a, b) => a.year - b.year),
      undatedCount: undatedAll.length,
    };
  },
  toText(out, audience = 'human') {
    if (out.entries.length === 0 && out.undated.length === 0) return out.note ?? `Nothing in the archive on "${out.topic}".`;
    const entry = (e: TimelineEntry) => {
      const who = passageSpeaker(e.passage);
      const tags = [e.roundup ? 'roundup' : null, who].filter(Boolean).join(' · ');
      return `${e.date ?? 'undated'} — ${e.title ?? e.docId}${tags ? ` · ${tags}` : ''}\n  ${e.passage.citation}\n  > ${e.passage.displayText.replace(/\n/g, '\n  > ')}`;
    };
    const parts = [yearBars(out)];
    if (out.entries.length) parts.push(out.entries.map(entry).join('\n\n'));
    if (out.undated.length) {
      const more = out.undatedCount > out.undated.length ? ` (${out.undated.length} of ${out.undatedCount})` : '';
      parts.push(`Undated${more}:\n\n${out.undated.map(entry).join('\n\n')}`);
    }
    const next = audience === 'agent' ? '\n\nNext: call get_document with a docId to read around a passage, or cite for a citation.' : '';
    return parts.join('\n\n') + next;
  },
});

const BAR_WIDTH = 30;

/** Documents per year as a small bar chart: `2024 ██████████ 13 (3 shown)`. */
export function yearBars(out: Pick<TimelineOutput, 'topic' | 'years' | 'undatedCount'>): string {
  const total = out.years.reduce((n, y) => n + y.count, 0);
  const head = `"${out.topic}": ${total} dated document${total === 1 ? '' : 's'}${out.undatedCount ? `, ${out.undatedCount} undated` : ''}`;
  if (out.years.length === 0) return head;
  const max = Math.max(...out.years.map((y) => y.count));
  const rows: string[] = [];
  const first = out.years[0]!.year;
  const last = out.years.at(-1)!.year;
  for (let year = first; year <= last; year++) {
    const y = out.years.find((r) => r.year === year);
    const n = y?.count ?? 0;
    const bar = '█'.repeat(n === 0 ? 0 : Math.max(1, Math.round((n / max) * BAR_WIDTH)));
    rows.push(`  ${year} ${bar}${bar ? ' ' : ''}${n}${y?.shown ? ` (${y.shown} shown)` : ''}`);
  }
  return `${head}\n${rows.join('\n')}`;
}
