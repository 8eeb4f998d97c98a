import * as z from 'zod';

/**
 * Caps on text a caller sends (README "Limits"). A search costs in proportion to its query's terms and a
 * tool result in proportion to its input, so without caps one request (a 10 MB query ran 204 s) can hold a
 * server for minutes; each cap is far above what its field is for.
 */
export const TEXT_LIMITS = {
  /** search query, ask question, timeline topic: a question or a few sentences. */
  query: 2_000,
  /** quote: the sentence(s) to look up. */
  quote: 5_000,
  /** related: a whole draft. */
  draft: 200_000,
  /** document ids, path globs, speaker names, tags and types. */
  field: 1_000,
  /** items of a tag or type list. */
  items: 100,
} as const;

/** A required text field of at most `max` characters (after trimming); the messages name the field and the limit. */
export function cappedText(field: string, max: number) {
  return z.string().trim().min(1, `the ${field} is empty`).max(max, `the ${field} is longer than the limit of ${max} characters`);
}

/** A short name-like string (id, glob, tag). */
export function shortText(field: string) {
  return z.string().min(1).max(TEXT_LIMITS.field, `the ${field} is longer than the limit of ${TEXT_LIMITS.field} characters`);
}

/** A list of short strings, at most TEXT_LIMITS.items of them. */
export function shortList(field: string) {
  return z.array(shortText(field)).max(TEXT_LIMITS.items, `give at most ${TEXT_LIMITS.items} ${field}s`);
}
