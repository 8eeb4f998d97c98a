/**
 * The fields that may hold a JSONL record's text, first present string wins. Ingest and read-back (quote,
 * cite, get) share this rule, so a record indexed from `content` or `body` is read back from the same field.
 */
export const TEXT_KEYS = ['text', 'content', 'body'] as const;

export type RecordLine =
  | { ok: true; id: string; text: string; textKey: string; record: Record<string, unknown> }
  | { ok: false; error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One line of a .jsonl file as a record `{ id | _id, text | content | body, … }`, or what is wrong with it. */
export function readRecordLine(line: string): RecordLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `invalid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isObject(value)) return { ok: false, error: 'expected a JSON object with an id and a text' };
  const rawId = value['id'] ?? value['_id'];
  if (!(typeof rawId === 'string' && rawId.trim() !== '') && typeof rawId !== 'number') {
    return { ok: false, error: 'record has no "id" or "_id"' };
  }
  for (const textKey of TEXT_KEYS) {
    const text = value[textKey];
    if (typeof text === 'string') return { ok: true, id: String(rawId), text, textKey, record: value };
  }
  return { ok: false, error: `record has no ${TEXT_KEYS.map((k) => `"${k}"`).join(', ')} string` };
}
