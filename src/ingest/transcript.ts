import type { Block } from '../core/types.js';
import { paragraphRanges } from '../text/lines.js';
import { headingText, isNoiseText, type HeadingFrame } from './markdown.js';
import { isShortForm } from './metadata.js';

/**
 * How a turn label was written. `timed` (has a timestamp) and `labelled` (`**Name:**`) are
 * strong evidence; `plain` (`Name: …`) is weak; `bare` (`**Name** text`, no colon or time)
 * looks like ordinary bold prose, so it only counts for speakers already established.
 */
export type TurnStrength = 'timed' | 'labelled' | 'plain' | 'bare';

export interface TurnMatch {
  /** Offset of the speaker label (after an italic note glued to the same line). */
  start: number;
  lineStart: number;
  speaker: string;
  /** `hh:mm:ss`, or null. */
  timestamp: string | null;
  strength: TurnStrength;
}

export interface HeadingLine {
  start: number;
  end: number;
  depth: number;
  text: string;
}

export interface LineScan {
  turns: TurnMatch[];
  headings: HeadingLine[];
}

export interface Transcript {
  /** Offset where the transcript (its first turn) starts. */
  start: number;
  /** Accepted turns, in order. */
  turns: TurnMatch[];
  /** Markdown headings inside the transcript (topic headings). */
  headings: HeadingLine[];
}

const SP = '[ \\t\\u00a0]';
const WORD = "\\p{Lu}[\\p{L}\\p{M}'’.\\-]*";
const PARTICLE = '(?:de|da|del|della|der|den|di|du|la|le|van|von|bin|al|el|y)';
const NAME = `${WORD}(?:${SP}(?:${WORD}|${PARTICLE})){0,4}`;
const TIME = '\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d{1,3})?';
const TS = `(?:\\\\?\\[(${TIME})\\\\?\\]|\\((${TIME})\\))`;
/** Up to 3 spaces, then optionally an italic note glued in front (`*Created with AI…*Nathan Lambert: …`). */
const LEAD = `^ {0,3}((?:\\*[^*\\n]+\\*|_[^_\\n]+_)${SP}*)?`;

/** `**Name** \[00:12:34\]:`, `**Name:**`, `**Name**:`, `**Name** (00:00:01):`, `**Name** text`. */
const BOLD_FIRST = new RegExp(`${LEAD}\\*\\*(${NAME})(:?)\\*\\*(?:${SP}*${TS})?(${SP}*:)?`, 'u');
/** `\[00:00:00\] **Name:**`, `[00:12:34] Name:`. */
const TIME_FIRST = new RegExp(`${LEAD}${TS}${SP}*(?:\\*\\*(${NAME}):?\\*\\*:?|(${NAME}):)`, 'u');
/** `Name (00:12:34):`, `Name [00:12:34]:`. */
const NAME_TIME = new RegExp(`${LEAD}(${NAME})${SP}*${TS}${SP}*:`, 'u');
/** `Name: text`. */
const PLAIN = new RegExp(`${LEAD}(${NAME}):${SP}+\\S`, 'u');

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Labels that introduce ordinary prose, not a speaker ("Note: …", "**Update:** …"). */
const NOT_SPEAKERS = new Set(
  (
    'a,q,ai,also,abstract,answer,answers,aside,assistant,author,authors,background,bonus,bot,caveat,chapter,chapters,' +
    'code,conclusion,conclusions,context,correction,corrections,data,date,disclaimer,edit,edited,editor,editor’s note,' +
    "editor's note,episode,example,examples,figure,finally,first,goal,here,hint,housekeeping,human,important,input," +
    'instruction,instructions,key takeaways,link,links,listen,meanwhile,model,note,notes,now,output,paper,papers,part,' +
    'podcast,post,problem,prompt,pros,cons,ps,p.s.,question,questions,reading,related,reminder,response,result,results,' +
    'second,section,solution,source,sources,sponsor,step,summary,system,table,takeaway,takeaways,task,third,thread,tip,' +
    'title,tl;dr,tldr,topics,transcript,tweet,update,updates,user,video,warning,watch,why,how,what,when,where,who,' +
    'today,then,this,that,the,and,but,so,yes,no,thanks,update 2,claim,evidence,verdict,prediction,predictions'
  ).split(','),
);

const TRANSCRIPT_HEADING = /^(?:full |episode |podcast |interview |edited )?transcript(?:ion)?s?(?: below)?:?$/i;

/** Minimum turns, and speakers that need 2+ turns, before a run counts as a conversation. */
const MIN_TURNS = 4;
const MIN_PLAIN_TURNS = 6;
const RUN = 4;
/** Turns of one run lie at most this far apart (a long monologue is a few thousand chars). */
const MAX_TURN_GAP = 20_000;

export function normaliseTimestamp(t: string): string {
  const parts = (t.split(/[.,]/)[0] ?? t).split(':').map((p) => Number(p));
  while (parts.length < 3) parts.unshift(0);
  return parts.map((p) => String(p).padStart(2, '0')).join(':');
}

export function isPlausibleSpeaker(name: string): boolean {
  if (name.length < 2 || name.length > 40) return false;
  return !NOT_SPEAKERS.has(name.toLowerCase());
}

function cleanSpeaker(name: string): string {
  return name
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/:$/, '')
    .trim();
}

type LabelMatch = Omit<TurnMatch, 'start' | 'lineStart'> & { offset: number };

/** Match a turn label at the start of one line; `offset` is where the label starts in the line. */
export function matchTurn(line: string, markdown: boolean): LabelMatch | null {
  const bold = markdown ? BOLD_FIRST.exec(line) : null;
  if (bold) {
    // groups: glued note, name, colon inside, ts, ts (parenthesised), colon after
    const time = bold[4] ?? bold[5];
    const colon = bold[3] === ':' || bold[6] !== undefined;
    if (time || colon) return label(line, bold[1], bold[2], time, time ? 'timed' : 'labelled');
    // `**Name** text` must go on after a space: `**Meta**'s` is bold prose.
    if (/^[ \t\u00a0]+\S/.test(line.slice(bold.index + bold[0].length))) return label(line, bold[1], bold[2], undefined, 'bare');
  }
  const tf = TIME_FIRST.exec(line);
  if (tf) return label(line, tf[1], tf[4] ?? tf[5], tf[2] ?? tf[3], 'timed');
  const nt = NAME_TIME.exec(line);
  if (nt) return label(line, nt[1], nt[2], nt[3] ?? nt[4], 'timed');
  const plain = PLAIN.exec(line);
  if (plain) return label(line, plain[1], plain[2], undefined, 'plain');
  return null;
}

function label(
  line: string,
  gluedNote: string | undefined,
  name: string | undefined,
  time: string | undefined,
  strength: TurnStrength,
): LabelMatch | null {
  const speaker = cleanSpeaker(name ?? '');
  if (!isPlausibleSpeaker(speaker)) return null;
  return { offset: lineLeadOffset(line, gluedNote), speaker, timestamp: time ? normaliseTimestamp(time) : null, strength };
}

/** Offset of the label within the line: after indentation and any glued italic note. */
function lineLeadOffset(line: string, gluedNote: string | undefined): number {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  return i + (gluedNote?.length ?? 0);
}

/**
 * One pass over the lines of `source[from, to)`: turn labels and ATX headings, skipping fenced
 * code. Turn labels are only looked for at line starts, so chapter lists (`-   \[00:02:12\] Papers
 * with Code`) never match: they start with a list marker.
 */
export function scanLines(source: string, from: number, to: number, markdown: boolean): LineScan {
  const turns: TurnMatch[] = [];
  const headings: HeadingLine[] = [];
  let codeFence: string | null = null;
  let pos = from;
  while (pos < to) {
    const nl = source.indexOf('\n', pos);
    const lineEnd = nl === -1 || nl >= to ? to : nl;
    const line = source.slice(pos, lineEnd);
    if (markdown) {
      const code = CODE_FENCE.exec(line);
      if (codeFence !== null) {
        if (code && code[1]?.[0] === codeFence[0] && (code[1]?.length ?? 0) >= codeFence.length) codeFence = null;
        pos = lineEnd + 1;
        continue;
      }
      if (code) {
        codeFence = code[1] ?? null;
        pos = lineEnd + 1;
        continue;
      }
      if (ATX.test(line)) {
        const text = headingText(line);
        const depth = ATX.exec(line)?.[1]?.length ?? 1;
        if (text) headings.push({ start: pos, end: lineEnd, depth, text });
        pos = lineEnd + 1;
        continue;
      }
    }
    const first = line.charCodeAt(line.search(/\S/));
    // Cheap pre-filter: labels start with `*`, `\`, `[`, `(`, `_` or a capital letter.
    if (first === 42 || first === 92 || first === 91 || first === 40 || first === 95 || (first >= 65 && first <= 90) || first > 127) {
      const t = matchTurn(line, markdown);
      if (t) turns.push({ start: pos + t.offset, lineStart: pos, speaker: t.speaker, timestamp: t.timestamp, strength: t.strength });
    }
    pos = lineEnd + 1;
  }
  return { turns, headings };
}

/**
 * Find where a conversation starts: after a `Transcript` heading when turns follow it, else
 * at the first run of RUN turns by 2+ speakers. Either way the turns from there on need
 * MIN_TURNS (MIN_PLAIN_TURNS for unformatted `Name:` labels) and 2+ speakers with 2+ turns each,
 * so `Note: …` / `Update: …` lines in a newsletter never make it a transcript.
 */
export function detectTranscript(scan: LineScan): Transcript | null {
  const strong = scan.turns.filter((t) => t.strength !== 'bare');
  if (strong.length < MIN_TURNS) return null;
  const ok = suffixAccepted(strong);
  let startIdx = -1;
  const heading = scan.headings.find((h) => TRANSCRIPT_HEADING.test(h.text));
  if (heading) {
    const i = strong.findIndex((t) => t.start > heading.end);
    if (i !== -1 && ok[i]) startIdx = i;
  }
  if (startIdx === -1) {
    for (let i = 0; i + RUN <= strong.length; i++) {
      if (ok[i] && isRun(strong.slice(i, i + RUN))) {
        startIdx = i;
        break;
      }
    }
  }
  if (startIdx === -1) return null;
  const known = knownSpeakers(strong.slice(startIdx));
  // A one-off label (`HOST: …` once) right before the conversation is not its first turn.
  const first = strong.slice(startIdx).find((t) => known.has(t.speaker));
  if (!first) return null;
  const turns = scan.turns.filter((t) => t.start >= first.start && known.has(t.speaker));
  const headings = scan.headings.filter((h) => h.start > first.start);
  return { start: first.start, turns, headings };
}

/**
 * Short forms of a name (`Riley G.`, `Nathan L.`, `Riley`) → the full name, when exactly one full name fits
 * among the other speakers and the `known` names (the authors, names in the title); otherwise the label
 * stays as written.
 */
export function fullNames(speakers: readonly string[], known: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const pool = [...new Set([...speakers, ...known])];
  for (const s of speakers) {
    const candidates = pool.filter((f) => f !== s && isShortForm(s, f));
    if (candidates.length === 1 && candidates[0]) out.set(s, candidates[0]);
  }
  return out;
}

/** Two- and three-word runs of capitalised words in a title ("Interviewing Riley Goodside on …" → "Riley Goodside", …). */
export function namesInTitle(title: string | null): string[] {
  const words = (title ?? '').split(/[^\p{L}\p{M}'’.-]+/u);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = 2; n <= 3 && i + n <= words.length; n++) {
      const run = words.slice(i, i + n);
      if (run.every((w) => /^\p{Lu}/u.test(w))) out.push(run.join(' '));
    }
  }
  return out;
}

/** Speakers of a transcript in order of their first turn. */
export function speakersOf(t: Transcript | null): string[] {
  return t ? [...new Set(t.turns.map((x) => x.speaker))] : [];
}

/** ok[i]: the turns from i on would be accepted as a transcript (one backward pass). */
function suffixAccepted(turns: readonly TurnMatch[]): boolean[] {
  const ok = new Array<boolean>(turns.length).fill(false);
  const counts = new Map<string, number>();
  let repeated = 0;
  let nonPlain = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (!t) continue;
    const n = (counts.get(t.speaker) ?? 0) + 1;
    counts.set(t.speaker, n);
    if (n === 2) repeated++;
    if (t.strength !== 'plain') nonPlain++;
    const total = turns.length - i;
    ok[i] = repeated >= 2 && total >= (nonPlain > 0 ? MIN_TURNS : MIN_PLAIN_TURNS);
  }
  return ok;
}

function isRun(window: readonly TurnMatch[]): boolean {
  const speakers = new Set(window.map((t) => t.speaker));
  if (speakers.size < 2) return false;
  for (let i = 1; i < window.length; i++) {
    if ((window[i]?.start ?? 0) - (window[i - 1]?.start ?? 0) > MAX_TURN_GAP) return false;
  }
  return true;
}

/** Speakers with 2+ labelled turns, or any timestamped turn: one-off `Topics:` labels are not speakers. */
function knownSpeakers(turns: readonly TurnMatch[]): Set<string> {
  const counts = new Map<string, number>();
  const known = new Set<string>();
  for (const t of turns) {
    const n = (counts.get(t.speaker) ?? 0) + 1;
    counts.set(t.speaker, n);
    if (n >= 2 || t.strength === 'timed') known.add(t.speaker);
  }
  return known;
}

/**
 * Blocks of the transcript part `[t.start, to)`: one `turn` block per turn (up to the next
 * turn or heading), heading blocks for topic headings (they extend `stack`), and plain
 * paragraph blocks for text after a heading that precedes the next turn (no speaker to give it).
 */
export function transcriptBlocks(source: string, t: Transcript, to: number, stack: readonly HeadingFrame[]): Block[] {
  const blocks: Block[] = [];
  const headings = [...stack];
  let path = headings.map((h) => h.text);
  type Mark = { at: number; turn: TurnMatch | null; heading: HeadingLine | null };
  const marks: Mark[] = [
    ...t.turns.map((turn) => ({ at: turn.start, turn, heading: null })),
    ...t.headings.map((heading) => ({ at: heading.start, turn: null, heading })),
  ].sort((a, b) => a.at - b.at);
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i];
    if (!mark) continue;
    const end = marks[i + 1]?.at ?? to;
    if (mark.heading) {
      const h = mark.heading;
      while (headings.length > 0 && (headings[headings.length - 1]?.depth ?? 0) >= h.depth) headings.pop();
      headings.push({ depth: h.depth, text: h.text });
      path = headings.map((x) => x.text);
      blocks.push({
        kind: 'heading',
        start: h.start,
        end: trimEnd(source, h.start, h.end),
        headingPath: path,
        speaker: null,
        timestamp: null,
      });
      for (const [s, e] of paragraphRanges(source, h.end, end)) {
        if (!isNoiseText(source.slice(s, e)))
          blocks.push({ kind: 'paragraph', start: s, end: e, headingPath: path, speaker: null, timestamp: null });
      }
    } else if (mark.turn) {
      const e = trimEnd(source, mark.turn.start, end);
      if (e > mark.turn.start) {
        blocks.push({
          kind: 'turn',
          start: mark.turn.start,
          end: e,
          headingPath: path,
          speaker: mark.turn.speaker,
          timestamp: mark.turn.timestamp,
        });
      }
    }
  }
  return blocks;
}

function trimEnd(source: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(source[e - 1] ?? '')) e--;
  return e;
}
