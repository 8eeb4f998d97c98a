import * as z from 'zod';
import { loadDocumentSource } from '../index/document-source.js';
import { loadLinkGraph, type LinkEdge, type LinkGraph } from '../index/link-graph.js';
import { decodeTags } from '../index/rows.js';
import type { DocumentHeader, Person, TurnMark } from '../core/types.js';
import { formatLocation } from '../text/citation-format.js';
import { resolveDocRef } from './doc-ref.js';
import { shortText } from './limits.js';
import { type ToolContext, defineTool } from './tool.js';
import { lineCount, lineRangeOffsets, offsetsToLines, sliceLines } from './source-lines.js';

/** An agent asking for "the document" gets at most this much text and a pointer to the rest. */
export const MAX_DOCUMENT_CHARS = 20_000;

export const getDocumentInput = z
  .object({
    docId: shortText('docId').describe(
      'document id as returned by search or list_documents (a unique ending of it also works; `id:12-18` selects lines)',
    ),
    lineStart: z.number().int().min(1).optional().describe('first line to return (1-based); default: the start'),
    lineEnd: z.number().int().min(1).optional().describe('last line to return (inclusive)'),
    maxChars: z
      .number()
      .int()
      .min(100)
      .max(MAX_DOCUMENT_CHARS)
      .default(8000)
      .describe(`at most this many characters of text (≤ ${MAX_DOCUMENT_CHARS}); use nextLine to continue`),
  })
  .strict();

export interface GetDocumentOutput extends DocumentHeader {
  root: string;
  subtitle: string | null;
  type: string;
  sourceType: string | null;
  /** Book title of a chapter (or the publication). */
  container: string | null;
  chapter: string | null;
  tags: string[];
  authors: string[];
  /** Interview speakers with host/guest roles. */
  people: Person[];
  /** Speaker turns that start within the returned lines (the reader labels them; empty for prose). */
  turns: { line: number; speaker: string; timestamp: string | null }[];
  path: string;
  totalLines: number;
  words: number;
  lineStart: number;
  lineEnd: number;
  text: string;
  truncated: boolean;
  /** Where to continue reading, or null at the end. */
  nextLine: number | null;
  stale: boolean;
  metadata: Record<string, unknown>;
  /** Other indexed documents this one links to, in the order of their first link (`lines`: where it links, here). */
  linksTo: DocumentLink[];
  /** Indexed documents that link to this one, oldest first (`lines`: where each links, in that document). */
  linkedFrom: DocumentLink[];
  /** Links to the author's own document URLs that no indexed document answers (dead, or not in the archive). */
  deadLinks: { url: string; line: number; text: string | null }[];
}

/** A document at the other end of links, with the lines the links are on and the first link's text. */
export interface DocumentLink extends DocumentHeader {
  type: string;
  lines: number[];
  text: string | null;
}

/** Edges grouped by the document at their other end (`end`), in order of first appearance. */
export function groupLinks(graph: LinkGraph, edges: readonly LinkEdge[], end: 'from' | 'to'): DocumentLink[] {
  const out = new Map<string, DocumentLink>();
  for (const e of edges) {
    const id = e[end];
    const seen = out.get(id);
    if (seen) {
      if (!seen.lines.includes(e.line)) seen.lines.push(e.line);
      continue;
    }
    const d = graph.resolver.document(id);
    out.set(id, {
      docId: id,
      title: d?.title ?? null,
      date: d?.date ?? null,
      url: d?.url ?? null,
      type: d?.type ?? 'text',
      lines: [e.line],
      text: e.text,
    });
  }
  return [...out.values()];
}

/**
 * `  2024-06-06  How I write  (interconnects/…/howiwrite.md:12)`, at most `max` lines: `docId:line` when the
 * lines are in the listed document (it links here), `docId · line 12` when they are in this one.
 */
export function linkLines(links: readonly DocumentLink[], max: number, linesIn: 'listed' | 'this'): string {
  const where = (l: DocumentLink) => (linesIn === 'listed' ? `${l.docId}:${l.lines.join(',')}` : `${l.docId} · line ${l.lines.join(', ')}`);
  const shown = links.slice(0, max).map((l) => `  ${l.date ?? 'undated   '}  ${l.title ?? l.docId}  (${where(l)})`);
  if (links.length > max) shown.push(`  … ${links.length - max} more`);
  return shown.join('\n');
}

export const getDocumentTool = defineTool({
  name: 'get_document',
  title: 'Read a document',
  description:
    "A document's metadata (title, date, URL, tags, front matter) and its exact text, or a line range of it. Output is bounded (maxChars); when truncated, call again from nextLine. Use to read around a search hit.",
  input: getDocumentInput,
  async run(ctx, input): Promise<GetDocumentOutput> {
    const store = await ctx.store();
    const { doc, lineStart, lineEnd } = await resolveDocRef(store, input);
    const src = loadDocumentSource(doc);
    const graph = await loadLinkGraph(store);
    const slice = sliceLines(src, doc.doc_id, lineStart ?? src.lineBase, lineEnd ?? Number.MAX_SAFE_INTEGER, input.maxChars);
    const from = lineRangeOffsets(src, slice.lineStart, slice.lineEnd).start;
    const turns = (JSON.parse(doc.turns || '[]') as TurnMark[])
      .filter((t) => t.start >= from && t.start < from + slice.text.length)
      .map((t) => ({ line: offsetsToLines(src, t.start, t.start + 1).lineStart, speaker: t.speaker, timestamp: t.timestamp }));
    return {
      docId: doc.doc_id,
      root: doc.root,
      title: doc.title,
      subtitle: doc.subtitle,
      date: doc.date,
      url: doc.url,
      type: doc.type,
      sourceType: doc.source_type,
      container: doc.container,
      chapter: doc.chapter,
      tags: decodeTags(doc.tags),
      authors: JSON.parse(doc.authors) as string[],
      people: JSON.parse(doc.people) as Person[],
      turns,
      path: doc.rel_path,
      totalLines: lineCount(src),
      words: doc.words,
      lineStart: slice.lineStart,
      lineEnd: slice.lineEnd,
      text: slice.text,
      truncated: slice.truncated,
      nextLine: slice.truncated && src.linesMapToFile && slice.lineEnd < slice.lastLine ? slice.lineEnd + 1 : null,
      stale: src.stale,
      metadata: JSON.parse(doc.extra) as Record<string, unknown>,
      linksTo: groupLinks(graph, graph.linksFrom(doc.doc_id), 'to'),
      linkedFrom: groupLinks(graph, graph.linksTo(doc.doc_id), 'from').sort((a, b) => (a.date ?? '~').localeCompare(b.date ?? '~')),
      deadLinks: graph.deadLinksOf(doc.doc_id).map(({ url, line, text }) => ({ url, line, text })),
    };
  },
  toText(out, audience = 'human') {
    const head = `${out.title ?? out.docId}${out.date ? ` (${out.date})` : ''} — ${formatLocation(out)} of ${out.totalLines}${out.url ? `\n${out.url}` : ''}`;
    // An agent calls the tool again with lineStart; a person types the next range as get's docId:lines argument.
    const next = audience === 'agent' ? `lineStart ${out.nextLine}` : `priors get ${out.docId}:${out.nextLine}-${out.totalLines}`;
    const tail = out.nextLine ? `\n[… truncated; continue with ${next}]` : '';
    const links = [
      out.linksTo.length ? `Links to (${out.linksTo.length}):\n${linkLines(out.linksTo, 20, 'this')}` : '',
      out.linkedFrom.length ? `Linked from (${out.linkedFrom.length}):\n${linkLines(out.linkedFrom, 20, 'listed')}` : '',
      out.deadLinks.length
        ? `Own links no document answers (${out.deadLinks.length}): ${out.deadLinks
            .slice(0, 5)
            .map((d) => `${d.url} (line ${d.line})`)
            .join(', ')}${out.deadLinks.length > 5 ? ', …' : ''}`
        : '',
    ].filter(Boolean);
    return `${head}\n\n${out.text}${tail}${links.length ? `\n\n${links.join('\n')}` : ''}`;
  },
});

/** A document's complete text, exactly as the file holds it (MCP serves it as a resource). */
export async function documentText(ctx: ToolContext, docId: string): Promise<{ path: string; text: string }> {
  const doc = await (await ctx.store()).resolveDocument(docId);
  return { path: doc.rel_path, text: loadDocumentSource(doc).text };
}
