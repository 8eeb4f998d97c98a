import type { ParsedDocument, RootSettings } from '../core/types.js';
import { readRecordLine } from '../text/jsonl-record.js';
import { paragraphBlocks } from '../text/lines.js';
import { buildMeta, describeCut, fieldBudget, jsonSafeRecord } from './metadata.js';

export interface JsonlError {
  /** 1-based line in the .jsonl file. */
  line: number;
  message: string;
}

export interface JsonlResult {
  docs: ParsedDocument[];
  errors: JsonlError[];
}

/**
 * One document per line: `{ id | _id, title?, text, date?, url?, … }` (BEIR `corpus.jsonl`
 * included). A bad line becomes an error naming its line; the others go on. Every field but
 * the text (which is the document source) is kept in `meta.extra`.
 */
export function parseJsonlRecords(input: { relPath: string; content: string; root?: RootSettings | undefined }): JsonlResult {
  const docs: ParsedDocument[] = [];
  const errors: JsonlError[] = [];
  const firstLine = new Map<string, number>();
  const content = input.content.charCodeAt(0) === 0xfeff ? input.content.slice(1) : input.content;
  let pos = 0;
  let lineNo = 0;
  while (pos < content.length) {
    lineNo++;
    const nl = content.indexOf('\n', pos);
    const line = content.slice(pos, nl === -1 ? content.length : nl).trim();
    pos = nl === -1 ? content.length : nl + 1;
    if (line === '') continue;
    const result = parseRecord(line, input.relPath, lineNo, input.root);
    if ('error' in result) {
      errors.push({ line: lineNo, message: result.error });
      continue;
    }
    const id = result.doc.meta.docId;
    const seenAt = firstLine.get(id);
    if (seenAt !== undefined) {
      errors.push({ line: lineNo, message: `duplicate id "${id}" (first used on line ${seenAt}); record skipped` });
      continue;
    }
    firstLine.set(id, lineNo);
    docs.push(result.doc);
  }
  return { docs, errors };
}

function parseRecord(
  line: string,
  relPath: string,
  lineNo: number,
  root: RootSettings | undefined,
): { doc: ParsedDocument } | { error: string } {
  const parsed = readRecordLine(line);
  if (!parsed.ok) return { error: `${parsed.error}; line skipped` };
  const { id, text, textKey, record } = parsed;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (k !== textKey) fields[k] = v;
  const budget = fieldBudget();
  const safe = jsonSafeRecord(fields, budget);
  const warnings = budget.cut ? [`${relPath}:${lineNo}: record ${describeCut(budget)}`] : [];
  // BEIR keeps extra fields under `metadata`; lift them so dates/urls/tags there are found too.
  const nested = safe['metadata'];
  const lookup = isObject(nested) ? { ...nested, ...safe } : safe;
  // No title field: null rather than the .jsonl file's name.
  const meta = buildMeta({ docId: id, relPath, fields: lookup, firstHeading: null, kind: 'record', fallbackTitle: null, root });
  meta.extra = safe;
  return {
    doc: { meta, source: text, lineBase: lineNo, linesMapToFile: false, blocks: paragraphBlocks(text, 0, text.length), warnings },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
