import { existsSync, readFileSync } from 'node:fs';
import { NotFoundError } from '../core/errors.js';
import { decodeSource, readSource } from '../text/read-source.js';
import type { DocumentRow } from './schema.js';

/** The text a document's offsets and line numbers refer to, re-read from disk for quoting and citing. */
export interface DocumentSource {
  text: string;
  /** File line of `text[0]`. */
  lineBase: number;
  /** False for JSONL records: every line of the record is the record's one file line. */
  linesMapToFile: boolean;
  /** The file changed since it was indexed: offsets may no longer match until the next ingest. */
  stale: boolean;
}

/**
 * Largest file read back for quoting: what was indexed, with room to have grown, but never without bound
 * (a path that now leads to something endless must not take the process down).
 */
function readBackLimit(doc: DocumentRow): number {
  return Math.max(2 * doc.size, 64 * 1024 * 1024);
}

function isRecord(doc: DocumentRow): boolean {
  return doc.rel_path.toLowerCase().endsWith('.jsonl');
}

export function loadDocumentSource(doc: DocumentRow): DocumentSource {
  if (!existsSync(doc.abs_path)) {
    throw new NotFoundError(`${doc.rel_path} is gone from disk since it was indexed — run \`priors ingest\` to update the index`);
  }
  if (isRecord(doc)) {
    const bytes = readFileSync(doc.abs_path);
    const decoded = decodeSource(bytes);
    const line = decoded.ok ? decoded.content.split('\n')[doc.line_base - 1] : undefined;
    const record = line ? (JSON.parse(line) as { text?: unknown }) : {};
    return {
      text: typeof record.text === 'string' ? record.text : '',
      lineBase: doc.line_base,
      linesMapToFile: false,
      stale: !decoded.ok || decoded.hash !== doc.file_hash,
    };
  }
  const decoded = readSource(doc.abs_path, readBackLimit(doc));
  if (!decoded.ok) throw new NotFoundError(`${doc.rel_path} can no longer be read (${decoded.reason})`);
  return { text: decoded.content, lineBase: 1, linesMapToFile: true, stale: decoded.hash !== doc.file_hash };
}
