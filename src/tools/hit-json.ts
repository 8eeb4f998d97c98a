import { citationRef } from '../search/grouping.js';
import type { SearchHit } from '../search/types.js';

/** The public JSON shape of a passage (the `priors search --json` contract; absent values are null). */
export interface HitJson {
  docId: string;
  title: string | null;
  date: string | null;
  url: string | null;
  type: string;
  section: string | null;
  speaker: string | null;
  timestamp: string | null;
  lineStart: number;
  lineEnd: number;
  score: number;
  text: string;
  path: string;
  citation: string;
}

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
