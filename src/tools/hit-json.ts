import { citationRef } from '../search/grouping.js';
import type { SearchHit } from '../search/types.js';

/** The public JSON shape of a passage (the `priors search --json` contract; absent values are null). */
export type HitJson = Pick<
  SearchHit,
  'docId' | 'title' | 'date' | 'url' | 'type' | 'section' | 'speaker' | 'timestamp' | 'lineStart' | 'lineEnd' | 'score' | 'text'
> & { path: string; citation: string };

export function hitToJson(h: SearchHit): HitJson {
  return {
    docId: h.docId,
    title: h.title,
    date: h.date,
    url: h.url,
    type: h.type,
    section: h.section,
    speaker: h.speaker,
    timestamp: h.timestamp,
    lineStart: h.lineStart,
    lineEnd: h.lineEnd,
    score: Number(h.score.toFixed(6)),
    text: h.text,
    path: h.relPath,
    citation: citationRef(h),
  };
}
