import * as z from 'zod';
import { cappedText, shortList, shortText, TEXT_LIMITS } from './limits.js';
import { excerpt, rankDocuments, searchDraftInput } from './draft-search.js';
import { defineTool } from './tool.js';
import { hitToJson, type HitJson } from './hit-json.js';
import { withoutSharedLines } from './passage-overlap.js';
import type { DocumentHeader } from '../core/types.js';

export const relatedInput = z
  .object({
    text: cappedText('draft', TEXT_LIMITS.draft).optional().describe('the draft text'),
    path: shortText('path').optional().describe('path to a draft file (local front ends only)'),
    documents: z.number().int().min(1).max(30).default(8).describe('how many related documents'),
    passages: z.number().int().min(1).max(5).default(2).describe('connecting passages per document'),
    root: shortList('root').optional().describe('only these roots (collections), by name'),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.path === undefined), { message: 'give exactly one of text or path' });

export interface RelatedPassage extends HitJson {
  /** The draft paragraph this passage answers to. */
  draftExcerpt: string;
}

export interface RelatedDocument extends DocumentHeader {
  path: string;
  score: number;
  passages: RelatedPassage[];
}

export interface RelatedOutput {
  excluded: string[];
  documents: RelatedDocument[];
}

export const relatedTool = defineTool({
  name: 'related',
  title: 'Prior writing related to a draft',
  description:
    "Given a draft (text, or a file path on local front ends), the author's prior documents most related to it, each with the verbatim passages that connect them and the draft paragraph they relate to. The draft itself is left out if it is already indexed. Use while writing to find what the author already said.",
  input: relatedInput,
  async run(ctx, input): Promise<RelatedOutput> {
    const { excluded, search } = await searchDraftInput(ctx, 'related', input);
    const documents = rankDocuments(search)
      .slice(0, input.documents)
      .map(({ docId, score, passages: list }) => {
        const first = list[0]!.hit;
        return {
          docId,
          title: first.title,
          date: first.date,
          url: first.url,
          path: first.relPath,
          score: Number(score.toFixed(6)),
          // Neighbouring chunks of one paragraph cite the same lines: show those words once.
          passages: withoutSharedLines(list.map((p) => ({ ...hitToJson(p.hit), draftExcerpt: excerpt(p.probe.text) }))).slice(
            0,
            input.passages,
          ),
        };
      });
    return { excluded, documents };
  },
  toText(out) {
    if (out.documents.length === 0) return 'No related prior writing found.';
    return out.documents
      .map((d, i) => {
        const ps = d.passages
          .map(
            (p) =>
              `   > ${p.displayText.replace(/\n/g, '\n   > ')}\n   — ${p.speaker ? `${p.speaker}, ` : ''}${p.citation} (re: "${p.draftExcerpt}")`,
          )
          .join('\n\n');
        return `${i + 1}. ${d.title ?? d.docId}${d.date ? ` (${d.date})` : ''}${d.url ? ` ${d.url}` : ''}\n${ps}`;
      })
      .join('\n\n');
  },
});
