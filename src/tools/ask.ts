import * as z from 'zod';
import { aboveRelevanceFloor, groupByDocument, RELEVANCE_FLOOR } from '../search/grouping.js';
import { cappedText, TEXT_LIMITS } from './limits.js';
import { defineTool } from './tool.js';
import { filterFields, toFilters } from './filters-schema.js';
import { documentOfHit, hitToJson, type HitJson, passageSpeaker } from './hit-json.js';
import { hasTopic, nothingToMatch } from './nothing-to-match.js';
import { withoutSharedLines } from './passage-overlap.js';
import { indent } from './search.js';
import type { DocumentHeader } from '../core/types.js';
import { chapterPlace } from '../text/citation-format.js';

export const askInput = z
  .object({
    question: cappedText('question', TEXT_LIMITS.query).describe('what the author is looking for in their prior writing'),
    documents: z.number().int().min(1).max(30).default(6).describe('how many documents to list'),
    passages: z.number().int().min(1).max(3).default(3).describe('best passages per document (1–3)'),
    ...filterFields,
  })
  .strict();

export interface AskDocument extends DocumentHeader {
  type: string;
  path: string;
  /** A chapter's book (the root's `--book`), null when unknown or not a chapter. */
  book: string | null;
  /** A chapter's label (`14`, `A` for an appendix), null when unknown or not a chapter. */
  chapter: string | null;
  /** The score the document is ranked by (all its matching passages and the request's cues): it falls down the list. */
  score: number;
  passages: HitJson[];
}

export interface AskOutput {
  question: string;
  mode: string;
  documents: AskDocument[];
  /** Why there are no documents when the question names nothing to look for ("prior posts on"), and what to add. */
  note?: string;
}

/** A passage much weaker than the document's best one is noise, not evidence. */
const PASSAGE_FLOOR = 0.5;

export const askTool = defineTool({
  name: 'ask',
  title: 'Prior writing on a topic',
  description: `Answers 'what have I written about X?' offline: the author's prior posts, chapters and interviews on the topic, best first (score: the document's, from all its matching passages), each with its 1–3 most relevant verbatim passages and a path:line citation; documents whose best passage scores under ${RELEVANCE_FLOOR * 100}% of the best document's are left out, so fewer than asked may come back. Use for an overview of prior writing; use search for individual passages.`,
  input: askInput,
  async run(ctx, input): Promise<AskOutput> {
    const retriever = await ctx.retriever();
    const mode = retriever.effectiveMode('hybrid');
    if (!hasTopic(input.question)) return { question: input.question, mode, documents: [], note: nothingToMatch(input.question) };
    const hits = await retriever.search({
      query: input.question,
      k: Math.min(input.documents * 8, 200),
      mode,
      filters: toFilters(input),
    });
    // A passage sharing lines with a better one of its document would show the same words twice.
    // Documents far below the best one are a tail that never mentions the topic, not prior writing on it.
    const groups = aboveRelevanceFloor(groupByDocument(withoutSharedLines(hits), input.passages)).slice(0, input.documents);
    // Passages don't carry their book (it is the document's): read it for the chapters listed, when there are any.
    const chapterIds = groups.filter((g) => g.hits[0]?.type === 'chapter').map((g) => g.docId);
    const store = chapterIds.length > 0 ? await ctx.store() : null;
    const chapters = new Map((store ? await store.getDocuments(chapterIds) : []).map((d) => [d.doc_id, d]));
    return {
      question: input.question,
      mode,
      documents: groups.map((g) => {
        const best = g.hits[0]!;
        return {
          ...documentOfHit(best),
          path: best.relPath,
          book: chapters.get(g.docId)?.container ?? null,
          chapter: chapters.get(g.docId)?.chapter ?? null,
          score: Number(g.documentScore.toFixed(6)),
          passages: g.hits.filter((h) => h.score >= g.score * PASSAGE_FLOOR).map(hitToJson),
        };
      }),
    };
  },
  toText(out) {
    if (out.documents.length === 0) return out.note ?? `Nothing in the archive matches "${out.question}".`;
    return out.documents
      .map((d, i) => {
        const head = `${i + 1}. ${d.title ?? d.docId}${inBook(d)}${d.date ? ` (${d.date})` : ''}${d.url ? `\n   ${d.url}` : ''}`;
        const passages = d.passages
          .map((p) => {
            const who = passageSpeaker(p);
            return `${indent(p.displayText, '   > ')}\n   — ${who ? `${who}, ` : ''}${p.citation}`;
          })
          .join('\n\n');
        return `${head}\n${passages}`;
      })
      .join('\n\n');
  },
});

/** ` — Reinforcement Learning from Human Feedback, ch. 14` after a chapter's title, when its book or number is known. */
export function inBook(d: Pick<AskDocument, 'type' | 'book' | 'chapter'>): string {
  const place = chapterPlace({ type: d.type, container: d.book, chapter: d.chapter });
  return place ? ` — ${place}` : '';
}
