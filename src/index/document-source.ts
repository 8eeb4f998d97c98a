import { NotFoundError } from '../core/errors.js';
import { readRecordLine } from '../text/jsonl-record.js';
import { decodeSource, readRegularFile } from '../text/read-source.js';
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

/** A record's text and file line: at its indexed line, or found by id when the file changed since. */
function findRecord(content: string, docId: string, indexedLine: number): { text: string; line: number } | null {
  const lines = content.split('\n');
  const at = lines[indexedLine - 1];
  const there = at === undefined ? null : readRecordLine(at);
  if (there?.ok && there.id === docId) return { text: there.text, line: indexedLine };
  // Lines were added, removed or edited since ingest: look the record up by its id (cheap text test first).
  const quoted = JSON.stringify(docId);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.includes(docId) && !line.includes(quoted)) continue;
    const r = readRecordLine(line);
    if (r.ok && r.id === docId) return { text: r.text, line: i + 1 };
  }
  return null;
}

export function loadDocumentSource(doc: DocumentRow): DocumentSource {
  const file = readRegularFile(doc.abs_path, readBackLimit(doc));
  if (!file.ok) {
    throw new NotFoundError(
      file.gone
        ? `${doc.rel_path} is gone from disk since it was indexed — run \`priors ingest\` to update the index`
        : `${doc.rel_path} can no longer be read (${file.reason})`,
    );
  }
  const decoded = decodeSource(file.bytes);
  if (!decoded.ok) throw new NotFoundError(`${doc.rel_path} can no longer be read (${decoded.reason})`);
  const stale = decoded.hash !== doc.file_hash;
  if (!isRecord(doc)) return { text: decoded.content, lineBase: 1, linesMapToFile: true, stale };
  const record = findRecord(decoded.content, doc.doc_id, doc.line_base);
  if (!record) {
    throw new NotFoundError(
      `${doc.rel_path}:${doc.line_base}: record "${doc.doc_id}" is no longer in the file (it changed since it was indexed) — run \`priors ingest\` to update the index`,
    );
  }
  return { text: record.text, lineBase: record.line, linesMapToFile: false, stale: stale || record.line !== doc.line_base };
}
