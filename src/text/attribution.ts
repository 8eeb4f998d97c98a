/**
 * Who a draft credits with a quotation ("As Ross Taylor put it, “…”", "“…” — Ross Taylor", "I told him: …"),
 * and whether that is who says the words in the archive. Pure text: the check tool supplies the quote's place
 * in the draft and the speaker the quote tool found. A wrong name would be published, so only a clear
 * attribution pattern counts; a pronoun ("he said") or no pattern is no attribution, never a guess.
 */

/** Whom the draft credits: a named person, the author ("I said"), or the guest ("my guest said"). */
export interface DraftAttribution {
  /** The draft's words for the speaker: "Ross Taylor", "I", "my guest". */
  drafted: string;
  who: 'name' | 'self' | 'guest';
}

/** A person's name as drafts write it: one to four capitalised words ("Ross", "Eugene Vinitsky", "Jean-Luc O’Neil"). */
const NAME = String.raw`\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}`;
/** Verbs that hand over to someone's words; "asked" is left out, the words after a question are often the answer. */
const SPEECH = `(?:${[
  'said',
  'says',
  'put it',
  'puts it',
  'wrote',
  'writes',
  'told',
  'tells',
  'explained',
  'explains',
  'noted',
  'notes',
  'argued',
  'argues',
  'remarked',
  'observed',
  'replied',
  'answered',
  'recalled',
  'added',
  'insisted',
  'claimed',
  'joked',
  'admitted',
].join('|')})`;
/** A subject of a speech verb that names nobody: seeing one closest to the quote means the draft's own words don't say who. */
const PRONOUN =
  /^(?:he|she|they|we|you|it|his|her|their|him|them|someone|somebody|anyone|everyone|everybody|nobody|people|others|many|most|some|all|one|this|that|who)$/i;
/**
 * Capitalised words that start a sentence or clause before a name ("But Ross said", "When Ross Taylor told
 * me"), not part of it.
 */
const LEADING = new Set(
  'as but and so when then yet or later also still even here there once like after before while because if since though although indeed well now today recently again the in on at for to with of'.split(
    ' ',
  ),
);

/** Text from the last sentence end (or line start) before `at`. */
function clauseBefore(draft: string, at: number): string {
  // Emphasis marks off: "As **Ross Taylor** put it" names Ross Taylor.
  const line = draft.slice(draft.lastIndexOf('\n', at - 1) + 1, at).replace(/[*_]+/g, '');
  const ends = [...line.matchAll(/[.!?]["”’)]?\s+/g)];
  const last = ends.at(-1);
  return last ? line.slice((last.index ?? 0) + last[0].length) : line;
}

/** Leading clause words and a possessive or final period off: `But Ross Taylor's` → `Ross Taylor`. */
function trimName(raw: string): string {
  const words = raw
    .trim()
    .replace(/['’]s$|[.]$/, '')
    .split(/\s+/);
  while (words.length > 1 && LEADING.has(words[0]!.toLowerCase())) words.shift();
  return words.join(' ');
}

/** The subject of a speech verb: a name, "I", "my guest (Name)?", or a pronoun (null: nobody named). */
function subject(raw: string): DraftAttribution | null {
  const s = trimName(raw);
  if (s === 'I' || /^my$/i.test(s)) return { drafted: s, who: 'self' };
  const guest = /^(?:my|our) guest(?:\s+(.+))?$/i.exec(s);
  if (guest) {
    const named = guest[1] ? trimName(guest[1]) : null;
    return named ? { drafted: named, who: 'name' } : { drafted: 'my guest', who: 'guest' };
  }
  return PRONOUN.test(s) || LEADING.has(s.toLowerCase()) ? null : { drafted: s, who: 'name' };
}

/** Subject phrases the patterns accept: a name, "I", "my guest" (with or without a name), or a pronoun. */
const WHO = String.raw`(?:(?:[Mm]y|[Oo]ur) guest(?:\s+${NAME})?|I|${NAME}|he|she|they|we|someone|somebody)`;

/** A speech verb with its subject ("Ross Taylor told me", "I said", "he said"), anywhere before the quote. */
const SPOKE = new RegExp(String.raw`(?<![\p{L}])(${WHO})\s+${SPEECH}\b`, 'gu');
/** What may stand between a speech verb and the quote: a few words, no sentence end and no other quotation. */
const HANDOVER = /^[^"“.!?]{0,80}$/;
/** "According to Ross Taylor, “…”", "In Ross Taylor's words: “…”", "In my words" — ending right at the quote. */
const ACCORDING = new RegExp(
  String.raw`(?:\b[Aa]ccording to\s+(${WHO})|\b[Ii]n\s+(${NAME}|my|his|her|their)(?:['’]s)?\s+words)\s*[,:]?\s*$`,
  'u',
);

/** A transcript-style line: `Ross Taylor: “…”` or `**Ross Taylor**: …`. */
const SPEAKER_LABEL = new RegExp(String.raw`^\s*(?:[-*>]\s+)?\**(${NAME}|I)\**\s*:\s*$`, 'u');

/** Attributions right after the quote: `“…” — Ross Taylor`, `“…”, Ross Taylor said.`, `“…” said Ross.` */
const AFTER: RegExp[] = [
  new RegExp(String.raw`^[,.]?\s*(?:[—–]|--)\s*(${WHO})`, 'u'),
  new RegExp(String.raw`^[,.]?\s*(${WHO})\s+${SPEECH}\b`, 'u'),
  new RegExp(String.raw`^[,.]?\s*${SPEECH}\s+(${WHO})`, 'u'),
];

/** A block quote's own signature line (`> — Ross Taylor`). */
const SIGNATURE = new RegExp(String.raw`\n\s*(?:>\s*)?(?:[—–]|--)\s*(${NAME})[^\n]*\s*$`, 'u');

/**
 * Whom the draft credits with the quotation at `[start, end)` of `draft`: from its own sentence (before and
 * after it), a block quote's signature line, or a line ending in a colon that introduces a quote starting
 * a paragraph. Null when the draft names nobody there (or only a pronoun).
 */
export function findAttribution(draft: string, start: number, end: number): DraftAttribution | null {
  const signature = SIGNATURE.exec(draft.slice(start, end));
  if (signature?.[1]) return subject(signature[1]);

  let before = clauseBefore(draft, start);
  if (!before.trim()) {
    // The quote opens its paragraph: an introducing line ending in a colon is its attribution.
    const prev = draft
      .slice(0, start)
      .replace(/[\s>]+$/, '')
      .split('\n')
      .at(-1);
    if (prev?.endsWith(':')) before = clauseBefore(prev, prev.length);
  }
  if (before.trim()) {
    const label = SPEAKER_LABEL.exec(before);
    if (label?.[1]) return subject(label[1]);
    const near = nearest(before);
    if (near) return near.who;
  }
  const lineEnd = draft.indexOf('\n', end);
  const after = draft
    .slice(end, lineEnd < 0 ? draft.length : lineEnd)
    .slice(0, 200)
    .replace(/[*_]+/g, '');
  for (const re of AFTER) {
    const m = re.exec(after);
    if (m?.[1]) return subject(m[1]);
  }
  return null;
}

/** The attribution ending nearest the quote in `before`, by its subject; `who` null for a pronoun. */
function nearest(before: string): { who: DraftAttribution | null } | null {
  const according = ACCORDING.exec(before);
  const said = according?.[1] ?? according?.[2];
  if (said) return { who: subject(said) };
  // The last speech verb is the one handing over to the quote ("I asked Ross and he said: …" is nobody named).
  const last = [...before.matchAll(SPOKE)].at(-1);
  if (!last?.[1] || !HANDOVER.test(before.slice((last.index ?? 0) + last[0].length))) return null;
  return { who: subject(last[1]) };
}

/**
 * Whether the drafted attribution fits the archive's speaker: the same full name or surname, a lone first
 * name that is the speaker's, "I" for the host or author, "my guest" for a guest. Case does not matter.
 */
export function attributionMatches(
  a: DraftAttribution,
  speaker: string,
  role: 'author' | 'host' | 'guest' | null,
  otherSpeakers: readonly string[] = [],
): boolean {
  if (a.who === 'self') return role === 'host' || role === 'author';
  if (a.who === 'guest') return role === 'guest';
  const words = (s: string) => s.toLowerCase().split(/\s+/).filter(Boolean);
  const drafted = words(a.drafted);
  return [speaker, ...otherSpeakers].some((name) => {
    const said = words(name);
    if (drafted.join(' ') === said.join(' ')) return true;
    if (drafted.at(-1) === said.at(-1)) return true;
    return drafted.length === 1 && drafted[0] === said[0];
  });
}
