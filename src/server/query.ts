import type { z } from 'zod';

/** What a query-string value must become before the tool's zod schema sees it. */
type FieldKind = 'number' | 'boolean' | 'array' | 'other';

interface Unwrapped {
  kind: FieldKind;
  /** For arrays: the element's kind. */
  element: FieldKind;
  optional: boolean;
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (s: z.ZodType): SchemaDef => s.def as unknown as SchemaDef;

/** Peel optional/default/nullable/pipe wrappers to find the type a field really holds. */
function unwrap(schema: z.ZodType): Unwrapped {
  let s = schema;
  let optional = false;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') optional = true;
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next) break;
    s = next;
  }
  const d = defOf(s);
  const kindOf = (t: string): FieldKind =>
    t === 'number' || t === 'int' ? 'number' : t === 'boolean' ? 'boolean' : t === 'array' ? 'array' : 'other';
  const kind = kindOf(d.type);
  const element = kind === 'array' && d.element ? unwrap(d.element).kind : 'other';
  return { kind, element, optional };
}

/** A number when the text is one; otherwise the text itself, so zod names the field and the wrong type. */
function toNumber(v: string): number | string {
  const t = v.trim();
  const n = t === '' ? Number.NaN : Number(t);
  return Number.isFinite(n) ? n : v;
}

function toBoolean(v: string): boolean | string {
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return v;
}

function convert(v: string, kind: FieldKind): unknown {
  return kind === 'number' ? toNumber(v) : kind === 'boolean' ? toBoolean(v) : v;
}

/**
 * Map URL query parameters onto a tool's input using only the tool's own zod shape: numbers and
 * booleans are coerced, arrays accept repeats (`?type=a&type=b`) and comma lists (`?type=a,b`), empty
 * optional fields count as absent (plain HTML forms send them). Unknown keys pass through unchanged so
 * the schema's `.strict()` rejects them by name; validation itself is left entirely to zod.
 */
export function queryToInput(schema: z.ZodObject, params: URLSearchParams): Record<string, unknown> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field) {
      out[key] = values.length === 1 ? values[0] : values;
      continue;
    }
    const f = unwrap(field);
    if (f.kind === 'array') {
      const items = values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (items.length > 0 || !f.optional) out[key] = items.map((v) => convert(v, f.element));
      continue;
    }
    const present = values.filter((v) => v !== '');
    if (present.length === 0 && f.optional) continue;
    // A repeated scalar stays a list: zod then says "expected number, received array" for that field.
    out[key] = values.length === 1 ? convert(values[0]!, f.kind) : values.map((v) => convert(v, f.kind));
  }
  return out;
}
