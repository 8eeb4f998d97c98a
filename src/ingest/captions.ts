import type { Block } from '../core/types.js';
import { isPlausibleSpeaker, normaliseTimestamp } from './transcript.js';

export type CaptionFormat = 'vtt' | 'srt';

interface Cue {
  /** Offsets of the cue's text lines (not its id or timing line). */
  start: number;
  end: number;
  timestamp: string;
  speaker: string | null;
}

const TIMING = /^\s*((?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->/;
const VOICE = /^<v(?:\.[\w.-]+)*[ \t]+([^>]+)>/;
const NAME_PREFIX = /^(?:>>[ \t]*|-[ \t]*)?(\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]\p{Lu}[\p{L}\p{M}'’.-]*){0,3}):[ \t]/u;
const VTT_SKIP = /^(?:WEBVTT|NOTE|STYLE|REGION)\b/;

/**
 * WebVTT / SRT cues as `turn` blocks. Consecutive cues by the same named speaker (`<v Name>`
 * or a `Name:` prefix; an unlabelled cue continues the previous speaker) merge into one turn.
 * Cues of files with no speaker labels stay one block each, so every chunk keeps a precise
 * start time (the chunker packs consecutive same-speaker turns up to its budget).
 * A block spans the cue's text lines; the id and timing lines stay out unless the turn spans
 * several cues.
 */
export function captionBlocks(source: string, format: CaptionFormat): Block[] {
  const blocks: Block[] = [];
  for (const cue of readCues(source, format)) {
    const last = blocks[blocks.length - 1];
    if (last && cue.speaker !== null && last.speaker === cue.speaker) {
      last.end = cue.end;
      continue;
    }
    blocks.push({ kind: 'turn', start: cue.start, end: cue.end, headingPath: [], speaker: cue.speaker, timestamp: cue.timestamp });
  }
  return blocks;
}

function readCues(source: string, format: CaptionFormat): Cue[] {
  const cues: Cue[] = [];
  let speaker: string | null = null;
  for (const group of lineGroups(source)) {
    const first = group[0];
    if (!first) continue;
    if (format === 'vtt' && VTT_SKIP.test(first.text)) continue;
    const timingIdx = group.findIndex((l) => l.text.includes('-->'));
    if (timingIdx === -1 || timingIdx > 1) continue;
    const time = TIMING.exec(group[timingIdx]?.text ?? '')?.[1];
    const textLines = group.slice(timingIdx + 1);
    const head = textLines[0];
    const tail = textLines[textLines.length - 1];
    if (!time || !head || !tail) continue;
    speaker = cueSpeaker(head.text.trim()) ?? speaker;
    const start = head.start + (head.text.length - head.text.trimStart().length);
    cues.push({ start, end: tail.start + tail.text.trimEnd().length, timestamp: normaliseTimestamp(time), speaker });
  }
  return cues;
}

function cueSpeaker(text: string): string | null {
  const voice = VOICE.exec(text)?.[1]?.trim();
  if (voice) return voice;
  const name = NAME_PREFIX.exec(text)?.[1];
  return name && isPlausibleSpeaker(name) ? name : null;
}

interface Line {
  text: string;
  start: number;
  end: number;
}

/** Blank-line separated groups of non-blank lines, with offsets (line end excludes `\r`). */
function lineGroups(source: string): Line[][] {
  const groups: Line[][] = [];
  let current: Line[] = [];
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos <= source.length) {
    const nl = source.indexOf('\n', pos);
    let end = nl === -1 ? source.length : nl;
    if (end > pos && source[end - 1] === '\r') end--;
    const text = source.slice(pos, end);
    if (text.trim() === '') {
      if (current.length > 0) groups.push(current);
      current = [];
    } else {
      current.push({ text, start: pos, end });
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
