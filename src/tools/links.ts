import * as z from 'zod';
import type { DocumentHeader } from '../core/types.js';
import { loadLinkGraph, type LinkGraphStats } from '../index/link-graph.js';
import { groupByDocument } from '../search/grouping.js';
import { filterFields, toFilters } from './filters-schema.js';
import { groupLinks, linkLines, type DocumentLink } from './get-document.js';
import { hitToJson, type HitJson } from './hit-json.js';
import { cappedText, TEXT_LIMITS } from './limits.js';
import { documentFilter } from './list-documents.js';
import { assertKnownFilters, pathMatcher } from '../search/filters.js';
import { defineTool } from './tool.js';

export const linksInput = z
  .object({
    topic: cappedText('topic', TEXT_LIMITS.query)
      .optional()
      .describe('only documents on this topic (searched like `search`); without it, the most-linked documents of the whole archive'),
    limit: z.number().int().min(1).max(50).default(10).describe('how many documents to list'),
    ...filterFields,
  })
  .strict();

/** A document the author's other documents link to. */
export interface LinkedEntry extends DocumentHeader {
  type: string;
  root: string;
  /** Distinct documents that link to it. */
  inbound: number;
  /** Links to it (one document may link twice). */
  inboundLinks: number;
  /** With a topic: how relevant it is, 1 for the best-ranked document, falling with rank (1 / (1 + rank/10)); else null. */
  relevance: number | null;
  /** The documents linking to it, newest first (at most 5; `lines` are in the linking document). */
  linkedFrom: DocumentLink[];
  /** With a topic: its best passage on it; else null. */
  passage: HitJson | null;
}

export interface LinksOutput {
  topic: string | null;
  /** Most linked first: by inbound × relevance with a topic, by inbound without. */
  documents: LinkedEntry[];
  /** The whole archive's link graph in numbers. */
  graph: LinkGraphStats;
}

/** Documents on a topic considered for the list: the best-ranked this many. */
const TOPIC_POOL = 40;
const SHOWN_LINKERS = 5;

export const linksTool = defineTool({
  name: 'links',
  title: 'Most-linked documents',
  description:
    "The author's own documents that their other documents link to most (links to their own URLs, resolved at ingest through the roots' URL templates), optionally on a topic: the cornerstone posts worth linking from a new draft. Each entry has how many documents link to it, which ones (with the line of the link), and with a topic its best passage. get_document lists one document's links both ways.",
  input: linksInput,
  async run(ctx, input): Promise<LinksOutput> {
    const store = await ctx.store();
    const graph = await loadLinkGraph(store);
    const entry = (docId: string, relevance: number | null, passage: HitJson | null): LinkedEntry | null => {
      const doc = graph.resolver.document(docId);
      const edges = graph.linksTo(docId);
      if (!doc || edges.length === 0) return null;
      const from = groupLinks(graph, edges, 'from').sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      return {
        ...doc,
        inbound: from.length,
        inboundLinks: edges.length,
        relevance,
        linkedFrom: from.slice(0, SHOWN_LINKERS),
        passage,
      };
    };
    let entries: LinkedEntry[];
    if (input.topic) {
      const retriever = await ctx.retriever();
      const hits = await retriever.search({ query: input.topic, k: 200, filters: toFilters(input) });
      entries = groupByDocument(hits, 1)
        .slice(0, TOPIC_POOL)
        .map((g, rank) => entry(g.docId, Number((1 / (1 + rank / 10)).toFixed(4)), hitToJson(g.hits[0]!)))
        .filter((e): e is LinkedEntry => e !== null)
        .sort((a, b) => b.inbound * (b.relevance ?? 0) - a.inbound * (a.relevance ?? 0) || b.inboundLinks - a.inboundLinks);
    } else {
      const filters = toFilters(input);
      await assertKnownFilters(store, filters);
      const keep = documentFilter(input);
      const path = pathMatcher(filters);
      const ids = new Set(
        (await store.listDocuments()).filter((d) => keep(d) && (!path || path(d.rel_path, d.doc_id))).map((d) => d.doc_id),
      );
      entries = [...graph.targets()]
        .filter((id) => ids.has(id))
        .map((id) => entry(id, null, null))
        .filter((e): e is LinkedEntry => e !== null)
        .sort((a, b) => b.inbound - a.inbound || b.inboundLinks - a.inboundLinks || (b.date ?? '').localeCompare(a.date ?? ''));
    }
    return { topic: input.topic ?? null, documents: entries.slice(0, input.limit), graph: graph.stats };
  },
  toText(out, audience = 'human') {
    const g = out.graph;
    const head = `${g.resolved} links between the archive's documents (${g.targets} documents linked to; ${g.missing} own links lead to no indexed document)`;
    if (out.documents.length === 0) return `${head}\nNo linked documents${out.topic ? ` on "${out.topic}"` : ''}.`;
    const list = out.documents.map((d, i) => {
      const title = `${i + 1}. ${d.title ?? d.docId}${d.date ? ` (${d.date})` : ''} — linked from ${d.inbound} document${d.inbound === 1 ? '' : 's'}`;
      return `${title}\n   ${d.docId}${d.url ? ` · ${d.url}` : ''}\n${linkLines(d.linkedFrom, SHOWN_LINKERS, 'listed').replace(/^ {2}/gm, '     ')}`;
    });
    const next = audience === 'agent' ? '\n\nNext: call get_document with a docId to read it and see every link to and from it.' : '';
    return `${out.topic ? `Most linked on "${out.topic}"` : 'Most linked'} — ${head}\n\n${list.join('\n\n')}${next}`;
  },
});
