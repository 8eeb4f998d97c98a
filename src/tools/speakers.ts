import type { Person, TurnMark } from '../core/types.js';
import type { DocumentRow } from '../index/schema.js';

export interface SpanSpeakers {
  /** Speaker of the turn the span starts in (null for prose). */
  speaker: string | null;
  /** That turn's timestamp; null when the transcript has none. */
  timestamp: string | null;
  /** `host` / `guest` when the interview tells them apart. */
  role: Person['role'];
  /** Every speaker with a turn in the span, in order: more than one means the span mixes voices. */
  speakers: string[];
}

function parse<T>(json: string | null | undefined, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** Who speaks in [start, end) of a document, from the turn starts stored with it. */
export function speakersOfSpan(doc: Pick<DocumentRow, 'turns' | 'people'>, start: number, end: number): SpanSpeakers {
  const turns = parse<TurnMark[]>(doc.turns, []);
  const people = parse<Person[]>(doc.people, []);
  let first: TurnMark | null = null;
  const inside: TurnMark[] = [];
  for (const t of turns) {
    if (t.start <= start) first = t;
    else if (t.start < end) inside.push(t);
    else break;
  }
  // A span that starts in prose before the transcript but reaches into it takes its first turn's speaker.
  const lead = first ?? inside[0] ?? null;
  const names = [...new Set([...(first ? [first.speaker] : []), ...inside.map((t) => t.speaker)])];
  const speaker = lead?.speaker ?? null;
  return {
    speaker,
    timestamp: lead?.timestamp ?? null,
    role: people.find((p) => p.name === speaker)?.role ?? null,
    speakers: names,
  };
}

/** Who says the words at an offset: a speaker of an interview (host or guest), or the document's author. */
export interface Voice {
  /** The turn's speaker, else the first author; null when neither is known. */
  speaker: string | null;
  /** `author` for prose; `host` / `guest` (or null when the interview can't tell) for a turn. */
  role: 'author' | 'host' | 'guest' | null;
  /** The turn's timestamp; null in prose and in transcripts without them. */
  timestamp: string | null;
  /** Index of the turn the offset falls in, -1 before the first turn (or in a document without turns). */
  turn: number;
}

/** The turns of a document, parsed once per call site (they are stored as JSON). */
export function documentTurns(doc: Pick<DocumentRow, 'turns'>): TurnMark[] {
  return parse<TurnMark[]>(doc.turns, []);
}

/** The voice of the text at `offset`: the speaker turn it falls in, or the author for prose (show notes, posts). */
export function voiceAt(doc: Pick<DocumentRow, 'people' | 'authors'>, turns: readonly TurnMark[], offset: number): Voice {
  const turn = turnIndexAt(turns, offset);
  const t = turns[turn];
  if (t) {
    const role = parse<Person[]>(doc.people, []).find((p) => p.name === t.speaker)?.role ?? null;
    return { speaker: t.speaker, role, timestamp: t.timestamp, turn };
  }
  const author = parse<string[]>(doc.authors, [])[0] ?? null;
  return { speaker: author, role: author === null ? null : 'author', timestamp: null, turn };
}

/** Index of the turn holding `offset` (turns sorted by start), -1 before the first one. */
export function turnIndexAt(turns: readonly TurnMark[], offset: number): number {
  let lo = 0;
  let hi = turns.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((turns[mid] as TurnMark).start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
