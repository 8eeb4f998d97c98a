import { formatLocation } from '../text/citation-format.js';
import { displayText } from '../text/display.js';
import type { SearchHit } from '../search/types.js';

/**
 * The public JSON shape of a passage (the `priors search --json` contract; absent values are null). `text` is
 * the file's exact text at `lineStart`–`lineEnd`; `displayText` is the same passage cleaned for reading.
 */
export type HitJson = Pick<
  SearchHit,
  | 'docId'
  | 'root'
  | 'title'
  | 'date'
  | 'url'
  | 'type'
  | 'sourceType'
  | 'section'
  | 'speaker'
  | 'timestamp'
  | 'speakers'
  | 'lineStart'
  | 'lineEnd'
  | 'score'
  | 'text'
> & {
  displayText: string;
  path: string;
  citation: string;
  /**
   * With search's group=document: the score the passage's document is ranked by (all its matching passages and the
   * request's cues). Results are in this order; `score`, the passage's own, orders a document's passages.
   */
  documentScore?: number;
};

export function hitToJson(h: SearchHit): HitJson {
  return {
    docId: h.docId,
    root: h.root,
    title: h.title,
    date: h.date,
    url: h.url,
    type: h.type,
    sourceType: h.sourceType,
    section: h.section,
    speaker: h.speaker,
    timestamp: h.timestamp,
    speakers: h.speakers,
    lineStart: h.lineStart,
    lineEnd: h.lineEnd,
    score: Number(h.score.toFixed(6)),
    text: h.text,
    displayText: displayText(h.text),
    path: h.relPath,
    citation: formatLocation(h),
  };
}

/** What a document list shows of a document, from its best passage (hits carry their document's header). */
export function documentOfHit(h: SearchHit): Pick<SearchHit, 'docId' | 'title' | 'date' | 'url' | 'type'> {
  return { docId: h.docId, title: h.title, date: h.date, url: h.url, type: h.type };
}

/** `Ross Taylor (guest) [00:15:07]`, with the other voices of a passage that merges turns; null for prose. */
export function passageSpeaker(h: Pick<HitJson, 'speaker' | 'timestamp' | 'speakers'>): string | null {
  if (!h.speaker) return null;
  const others = h.speakers.filter((s) => s !== h.speaker);
  return `${h.speaker}${h.timestamp ? ` [${h.timestamp}]` : ''}${others.length ? ` (with ${others.join(', ')})` : ''}`;
}

/** What an agent should call next with a passage's id (MCP text content names tools, not CLI commands). */
export function nextStepForAgent(h: Pick<HitJson, 'docId' | 'lineStart' | 'lineEnd'> | undefined): string {
  if (!h) return '';
  const ref = JSON.stringify({ docId: h.docId, lineStart: h.lineStart, lineEnd: h.lineEnd });
  return `\n\nNext: call cite with ${ref} (or a quote) for a ready-to-paste citation, or get_document with {"docId": ${JSON.stringify(h.docId)}} to read around it.`;
}
