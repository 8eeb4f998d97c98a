import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type SourceText = { ok: true; content: string; hash: string } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Decode a file for indexing, or say in a few words why it can't be (binary, not UTF-8, empty). */
export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file (NUL bytes)' };
  let content: string;
  try {
    content = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  // A BOM is not part of the text; offsets and quotes are computed without it everywhere.
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  if (content.trim() === '') return { ok: false, reason: 'empty file' };
  return { ok: true, content, hash: sha256(bytes) };
}

/** Read a source file the same way ingest did, so offsets and line numbers agree when quoting it later. */
export function readSource(absPath: string): SourceText {
  return decodeSource(readFileSync(absPath));
}
