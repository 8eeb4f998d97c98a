import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type SourceText = { ok: true; content: string; hash: string } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;

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
  // Lone CRs (classic Mac line endings) end lines too. Every line scanner looks for \n, so they become \n here,
  // the one place every reader passes through; one character for one keeps all offsets valid.
  if (LONE_CR.test(content)) content = content.replace(LONE_CR_ALL, '\n');
  if (content.trim() === '') return { ok: false, reason: 'empty file' };
  return { ok: true, content, hash: sha256(bytes) };
}

export type RegularFile =
  | { ok: true; bytes: Buffer }
  /** `gone`: nothing is at the path any more (or a folder is): a document from it leaves the index. */
  | { ok: false; gone: boolean; reason: string };

/** Reasons for errno codes, in a few words a warning can end with. */
const ERRNO_REASONS: Record<string, string | undefined> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EISDIR: 'a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
};

/**
 * The bytes of a regular file of at most `maxBytes`, or why not. Devices (/dev/zero), FIFOs, sockets and
 * folders are refused before a byte is read: the path is opened non-blocking (so a FIFO without a writer
 * cannot hang the caller) and checked with fstat on the open descriptor (so it cannot be swapped after the
 * check). Never throws.
 */
export function readRegularFile(absPath: string, maxBytes: number): RegularFile {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const gone = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
    return { ok: false, gone, reason: ERRNO_REASONS[code] ?? `cannot be read (${code || 'error'})` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, gone: true, reason: 'a folder, not a file' };
    if (!stat.isFile()) return { ok: false, gone: false, reason: 'not a regular file (a device, FIFO or socket)' };
    if (stat.size > maxBytes) return { ok: false, gone: false, reason: `${stat.size} bytes is over the ${maxBytes}-byte limit` };
    // One byte more than allowed, to notice a file that grew past the limit since fstat.
    const bytes = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === bytes.length) break;
    }
    if (length > maxBytes) return { ok: false, gone: false, reason: `over the ${maxBytes}-byte limit` };
    return { ok: true, bytes: bytes.subarray(0, length) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return { ok: false, gone: code === 'EISDIR', reason: ERRNO_REASONS[code] ?? `cannot be read (${code || 'error'})` };
  } finally {
    closeSync(fd);
  }
}
