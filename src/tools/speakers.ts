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
