/**
 * priors as a library (`import { openArchive } from 'priors'`): an index opened once, with the same tools,
 * zod validation and results that the CLI, the HTTP API and the MCP server serve.
 */
import type { z } from 'zod';
import { askTool } from './tools/ask.js';
import { checkTool } from './tools/check.js';
import { citeTool } from './tools/cite.js';
import { createToolContext } from './tools/context.js';
import { getDocumentTool } from './tools/get-document.js';
import { type ImportReport, importTool } from './tools/import.js';
import { linksTool } from './tools/links.js';
import { listDocumentsTool } from './tools/list-documents.js';
import { quoteTool } from './tools/quote.js';
import { relatedTool } from './tools/related.js';
import { type ListRootsOutput, listRootsTool, removeRootTool } from './tools/roots.js';
import { searchTool } from './tools/search.js';
import { type StatsOutput, statsTool } from './tools/stats.js';
import { timelineTool } from './tools/timeline.js';
import { callTool, type ToolContext, type ToolDefinition } from './tools/tool.js';

import { UsageError } from './core/errors.js';

export { IndexLockedError, IndexMissingError, ModelMismatchError, NotFoundError, PriorsError, UsageError } from './core/errors.js';
export type { AskOutput } from './tools/ask.js';
export type { CheckOutput } from './tools/check.js';
export type { CiteOutput } from './tools/cite.js';
export type { DocumentLink, GetDocumentOutput } from './tools/get-document.js';
export type { HitJson } from './tools/hit-json.js';
export type { ImportReport } from './tools/import.js';
export type { LinkedEntry, LinksOutput } from './tools/links.js';
export type { ListDocumentsOutput } from './tools/list-documents.js';
export type { QuoteOutput } from './tools/quote.js';
export type { RelatedOutput } from './tools/related.js';
export type { ListRootsOutput, RemoveRootReport, RootSummary } from './tools/roots.js';

export type { SearchOutput } from './tools/search.js';
export type { StatsOutput } from './tools/stats.js';
export type { TimelineOutput } from './tools/timeline.js';
export { ToolInputError } from './tools/tool.js';

export interface ArchiveOptions {
  /** Folder of local embedding models (as `--model-dir` / PRIORS_MODEL_DIR). */
  modelDir?: string;
  /** Cross-encoder model for an optional rerank stage; none by default. */
  reranker?: string;
  /** Called with one-line warnings (e.g. no embedding model: full-text only). Default: stderr. */
  onWarning?: (message: string) => void;
}

/** A tool as a method: input as the tool's zod schema accepts it (defaults optional), its typed result out. */
type ToolMethod<S extends z.ZodObject, O> = (input: z.input<S>) => Promise<O>;
type MethodOf<T> = T extends ToolDefinition<infer S, infer O> ? ToolMethod<S, O> : never;

export interface Archive {
  /** Ranked verbatim passages (`priors search`). */
  search: MethodOf<typeof searchTool>;
  /** Documents on a topic with their best passages (`priors ask`, offline). */
  ask: MethodOf<typeof askTool>;
  /** Where a remembered quote comes from and who said it: verified (with elisions), close, paraphrase or not found (`priors quote`). */
  quote: MethodOf<typeof quoteTool>;
  /** A ready-to-paste citation quoting exact lines (`priors cite`). */
  cite: MethodOf<typeof citeTool>;
  /** Prior writing related to a draft (`priors related`). */
  related: MethodOf<typeof relatedTool>;
  /** A draft checked against the archive: related writing, mentions, quotes, self-overlap, links to add (`priors check`). */
  check: MethodOf<typeof checkTool>;
  /** One passage per document, oldest first (`priors timeline`). */
  timeline: MethodOf<typeof timelineTool>;
  /** The most-linked documents, on a topic or overall (`priors links`). */
  links: MethodOf<typeof linksTool>;
  /** Documents by date, type or tag (`priors list`). */
  list: MethodOf<typeof listDocumentsTool>;
  /** A document's metadata and exact text, or a line range (`priors get`). */
  get: MethodOf<typeof getDocumentTool>;
  /** Documents, chunks, words, model, size and last ingest of the index (`priors stats`). */
  stats(): Promise<StatsOutput>;
  /** The roots (collections) the index remembers (`priors roots list`). */
  roots(): Promise<ListRootsOutput>;
  /** Forget a root and remove its documents (`priors roots remove NAME`). */
  removeRoot: MethodOf<typeof removeRootTool>;
  /** Release the index and the model. */
  close(): Promise<void>;
}

/**
 * Open the index at `index` (built by `priors ingest`). Fails with IndexMissingError when there is none; the
 * embedding model loads on the first search, and never for list/get/cite.
 */
export async function openArchive(index: string, options: ArchiveOptions = {}): Promise<Archive> {
  const ctx = createToolContext({ index, modelDir: options.modelDir, reranker: options.reranker, onWarning: options.onWarning });
  await ctx.store();
  const bind =
    <S extends z.ZodObject, O>(tool: ToolDefinition<S, O>): ToolMethod<S, O> =>
    (input) =>
      callTool(tool, ctx, input);
  return {
    search: bind(searchTool),
    ask: bind(askTool),
    quote: bind(quoteTool),
    cite: bind(citeTool),
    related: bind(relatedTool),
    check: bind(checkTool),
    timeline: bind(timelineTool),
    links: bind(linksTool),
    list: bind(listDocumentsTool),
    get: bind(getDocumentTool),
    stats: () => callTool(statsTool, ctx, {}),
    roots: () => callTool(listRootsTool, ctx, {}),
    removeRoot: bind(removeRootTool),
    close: () => ctx.close(),
  };
}

/** The import works on files alone: its context has no index to give. */
const NO_INDEX: ToolContext = {
  store: () => Promise.reject(new UsageError('import_export reads no index')),
  retriever: () => Promise.reject(new UsageError('import_export reads no index')),
};

/**
 * Convert a Substack, Ghost or WordPress export into markdown files with front matter that `priors ingest`
 * reads (`priors import`): `{ format, source, out, baseUrl?, drafts? }`, validated like every tool input.
 */
export async function importExport(input: z.input<typeof importTool.input>): Promise<ImportReport> {
  return callTool(importTool, NO_INDEX, input);
}
