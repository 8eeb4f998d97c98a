import * as z from 'zod';
import { UsageError } from '../core/errors.js';
import { sha256 } from '../text/read-source.js';
import type { SearchHit } from '../search/types.js';
import { cappedText, shortList, shortText, TEXT_LIMITS } from './limits.js';
import { readCallerFile } from './caller-file.js';
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

/** Paragraphs of a draft worth a search each: long enough to say something, at most MAX_PROBES of them. */
const MAX_PROBES = 12;
const MIN_WORDS = 8;
const PER_PROBE = 20;
/** Reciprocal-rank constant for adding up a document's evidence over the draft's paragraphs. */
const RANK_K = 5;

export function draftProbes(text: string): string[] {
  const paras = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => (p.match(/\S+/g)?.length ?? 0) >= MIN_WORDS && !/^(---|\+\+\+)/.test(p));
  const probes = paras.length ? paras : [text.trim()];
  if (probes.length <= MAX_PROBES) return probes;
  // Evenly spaced, so a long draft is represented from start to end.
  return Array.from({ length: MAX_PROBES }, (_, i) => probes[Math.floor((i * probes.length) / MAX_PROBES)]!);
}

function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const relatedTool = defineTool({
  name: 'related',
  title: 'Prior writing related to a draft',
  description:
    "Given a draft (text, or a file path on local front ends), the author's prior documents most related to it, each with the verbatim passages that connect them and the draft paragraph they relate to. The draft itself is left out if it is already indexed. Use while writing to find what the author already said.",
  input: relatedInput,
  async run(ctx, input): Promise<RelatedOutput> {
    let text = input.text ?? '';
    let absPath: string | null = null;
    if (input.path !== undefined) {
      ({ absPath, text } = readCallerFile(ctx, 'related', input.path));
      if (text.length > TEXT_LIMITS.draft) {
        throw new UsageError(`related: ${input.path} is longer than the draft limit of ${TEXT_LIMITS.draft} characters`);
      }
    }
    const retriever = await ctx.retriever();
    const hash = sha256(text);
    const excluded = (await retriever.store.listDocuments())
      .filter((d) => d.abs_path === absPath || d.file_hash === hash || d.content_hash === hash)
      .map((d) => d.doc_id);

    const scores = new Map<string, number>();
    const passages = new Map<string, { hit: SearchHit; probe: string; score: number }[]>();
    for (const probe of draftProbes(text)) {
      const hits = await retriever.search({
        query: probe.slice(0, 2000),
        k: PER_PROBE,
        filters: { excludeDocIds: excluded, roots: input.root },
      });
      hits.forEach((hit, rank) => {
        const s = 1 / (RANK_K + rank + 1);
        scores.set(hit.docId, (scores.get(hit.docId) ?? 0) + s);
        const list = passages.get(hit.docId) ?? [];
        if (!list.some((p) => p.hit.chunkIndex === hit.chunkIndex)) list.push({ hit, probe, score: s });
        passages.set(hit.docId, list);
      });
    }
    const documents = [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, input.documents)
      .map(([docId, score]) => {
        const list = (passages.get(docId) ?? []).sort((a, b) => b.score - a.score);
        const first = list[0]!.hit;
        return {
          docId,
          title: first.title,
          date: first.date,
          url: first.url,
          path: first.relPath,
          score: Number(score.toFixed(6)),
          // Neighbouring chunks of one paragraph cite the same lines: show those words once.
          passages: withoutSharedLines(list.map((p) => ({ ...hitToJson(p.hit), draftExcerpt: excerpt(p.probe) }))).slice(0, input.passages),
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
