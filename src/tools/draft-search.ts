/**
 * The part `related` and `check` share: read a draft (text or a file the caller may read), leave the draft out
 * when it is itself indexed, search every probe of it, and add up each document's evidence over the draft.
 */
import { UsageError } from '../core/errors.js';
import type { Retriever } from '../search/retriever.js';
import type { SearchFilters, SearchHit } from '../search/types.js';
import { draftProbes, splitDraft, type DraftParagraph, type DraftProbe } from '../text/draft.js';
import { sha256 } from '../text/read-source.js';
import { readCallerFile } from './caller-file.js';
import { TEXT_LIMITS } from './limits.js';
import type { ToolContext } from './tool.js';

export interface Draft {
  text: string;
  /** Absolute path when the draft came from a file. */
  absPath: string | null;
  paragraphs: DraftParagraph[];
}

/** The draft of a `{ text }` or `{ path }` input, cut into paragraphs. */
function readDraft(ctx: ToolContext, tool: string, input: { text?: string | undefined; path?: string | undefined }): Draft {
  let text = input.text ?? '';
  let absPath: string | null = null;
  if (input.path !== undefined) {
    ({ absPath, text } = readCallerFile(ctx, tool, input.path));
    if (text.length > TEXT_LIMITS.draft) {
      throw new UsageError(`${tool}: ${input.path} is longer than the draft limit of ${TEXT_LIMITS.draft} characters`);
    }
    if (text.trim() === '') throw new UsageError(`${tool}: ${input.path} is empty`);
  }
  return { text, absPath, paragraphs: splitDraft(text) };
}

/** Ids of indexed documents that are the draft itself (same file, or same content). */
async function draftItself(retriever: Retriever, draft: Draft): Promise<string[]> {
  const hash = sha256(draft.text);
  return (await retriever.store.listDocuments())
    .filter((d) => d.abs_path === draft.absPath || d.file_hash === hash || d.content_hash === hash)
    .map((d) => d.doc_id);
}

/**
 * Searches per draft: every probe of a normal draft is searched; beyond this many, the rest of the draft is
 * left unsearched and the caller says so (one search costs ~10–100 ms, so this bounds a huge draft to seconds).
 */
export const MAX_PROBES = 150;
/** Passages taken from each probe's search. */
const PER_PROBE = 20;
/** Reciprocal-rank constant for adding up a document's evidence over the draft's probes. */
const RANK_K = 5;

export interface ProbeResult {
  probe: DraftProbe;
  hits: SearchHit[];
}

export interface DraftSearch {
  probes: ProbeResult[];
  /** Probes of the draft not searched (over MAX_PROBES). */
  skipped: number;
  /** Where the first unsearched probe starts in the draft, or null when every probe was searched. */
  skippedFrom: number | null;
}

async function searchDraft(retriever: Retriever, draft: Draft, filters: SearchFilters): Promise<DraftSearch> {
  const all = draftProbes(draft.paragraphs);
  // A draft with no paragraph long enough to probe is still searched as a whole.
  const probes = all.length
    ? all.slice(0, MAX_PROBES)
    : draft.text.trim()
      ? [{ paragraph: draft.paragraphs[0]?.index ?? 0, start: 0, end: draft.text.length, text: draft.text.trim().slice(0, 1_500) }]
      : [];
  const out: ProbeResult[] = [];
  for (const probe of probes) out.push({ probe, hits: await retriever.search({ query: probe.text, k: PER_PROBE, filters }) });
  const skipped = Math.max(0, all.length - probes.length);
  return { probes: out, skipped, skippedFrom: skipped ? (all[MAX_PROBES]?.start ?? null) : null };
}

/** The draft of a tool's input, searched probe by probe with the tool's root filter, the draft itself left out. */
export async function searchDraftInput(
  ctx: ToolContext,
  tool: string,
  input: { text?: string | undefined; path?: string | undefined; root?: string[] | undefined },
): Promise<{ draft: Draft; retriever: Retriever; excluded: string[]; filters: SearchFilters; search: DraftSearch }> {
  const draft = readDraft(ctx, tool, input);
  const retriever = await ctx.retriever();
  const excluded = await draftItself(retriever, draft);
  const filters: SearchFilters = { excludeDocIds: excluded, roots: input.root };
  return { draft, retriever, excluded, filters, search: await searchDraft(retriever, draft, filters) };
}

export interface DocumentEvidence {
  docId: string;
  score: number;
  /** Each distinct passage with the probe it answered and its share of the score, best first. */
  passages: { hit: SearchHit; probe: DraftProbe; score: number }[];
}

/** Documents ranked over the whole draft: a passage ranked r for a probe adds 1/(RANK_K + r + 1) to its document. */
export function rankDocuments(search: DraftSearch): DocumentEvidence[] {
  const docs = new Map<string, DocumentEvidence>();
  for (const { probe, hits } of search.probes) {
    hits.forEach((hit, rank) => {
      const s = 1 / (RANK_K + rank + 1);
      const d = docs.get(hit.docId) ?? { docId: hit.docId, score: 0, passages: [] };
      d.score += s;
      const same = d.passages.find((p) => p.hit.chunkIndex === hit.chunkIndex);
      if (!same) d.passages.push({ hit, probe, score: s });
      else if (s > same.score) Object.assign(same, { probe, score: s });
      docs.set(hit.docId, d);
    });
  }
  for (const d of docs.values()) d.passages.sort((a, b) => b.score - a.score);
  return [...docs.values()].sort((a, b) => b.score - a.score);
}

/** A draft paragraph (or any text) flattened to one line of at most `max` characters, for "re: …" labels. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
