/**
 * Static word vectors as an embedder: SIF (smooth inverse frequency, Arora et al. 2017). A text's vector is
 * the mean of its words' vectors weighted by a/(a + p(w)), minus its projection on the corpus's first
 * principal ("common") component. p(w) and the component come from the indexed corpus itself: fitted on
 * the first build's passages, stored with the index, reused by every later ingest and query.
 */
import { PriorsError } from '../../core/errors.js';
import { estimateTokens, type CorpusStatistics, type Embedder, type WordList, type WordMatcher } from '../embedder.js';
import { modelSettings, WORDVEC_MODEL_ID } from '../registry.js';
import { openWordTable, TABLE_ID, type OpenTableOptions, type WordTable } from './table.js';
import { distinctTableRows, tableRows } from './tokenize.js';

/**
 * SIF's smoothing constant: words with p(w) well above it are damped, rarer words keep weight ≈ 1. Chosen on
 * SciFact and the archive's tune half among 1e-4…1e-2 (BENCHMARKS.md, word vectors); 1e-3 and 3e-3 were
 * within noise of each other.
 */
const SIF_A = 3e-3;
/** Passages the common component is estimated from (more changes it by little). */
const COMPONENT_SAMPLE = 20_000;
const LOOKUP_CACHE_MAX = 200_000;
/** Passages whose distinct words are kept for soft matching (an archive's worth). */
const TEXT_ROWS_MAX = 50_000;
/** From this many passages in one call, reading every vector row at once beats reading rows one by one. */
const FULL_LOAD_PASSAGES = 256;

interface SavedStatistics {
  version: 1;
  a: number;
  /** The table the row numbers refer to. */
  table: string;
  /** Words of the fitted passages that the table has. */
  total: number;
  /** Base64 of Uint32Arrays: table rows and their counts (row numbers load far faster than words). */
  rows: string;
  counts: string;
  component: number[];
}

/** Below this cosine a text's nearest word counts as no match (tune half: 0.3 / 0.4 / 0.5 / 0.6 / 0.7, BENCHMARKS.md). */
const SOFT_MATCH_FLOOR = 0.4;
/** Request words under this SIF weight are left out ("the" ≈ 0.06, a word in 1 of 1,000 ≈ 0.75). */
const SOFT_MATCH_MIN_WEIGHT = 0.2;
/** Words this frequent in the vectors' source (its top ranks) match only themselves. */
const SOFT_MATCH_COMMON = 300;

export class WordVecEmbedder implements Embedder, CorpusStatistics, WordMatcher {
  readonly settings;
  readonly corpusStatistics: CorpusStatistics = this;
  readonly wordMatcher: WordMatcher = this;
  readonly wordList: WordList = {
    restore: (saved) => {
      this.table.useArchiveWords(saved && Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength));
      this.newRows.clear();
      this.newAbsent.clear();
    },
    save: () =>
      this.newRows.size || this.newAbsent.size
        ? this.table.archiveWords(this.table.withArchiveRows(this.newRows), this.table.withArchiveAbsent(this.newAbsent))
        : null,
  };
  /** Rows of passages embedded since the word list was restored that the list lacks, and words the table lacks. */
  private readonly newRows = new Set<number>();
  private readonly newAbsent = new Set<string>();
  /** `lookup` noting what the word list lacks, for passages being embedded. */
  private readonly passageLookup = (word: string): number => {
    const row = this.lookup(word);
    if (row >= 0 ? !this.table.inArchive(row) : !this.table.knownAbsent(word)) {
      if (row >= 0) this.newRows.add(row);
      else this.newAbsent.add(word);
    }
    return row;
  };
  /** Tuning knob for experiments (BENCHMARKS.md): the cosine below which a word is not matched. */
  softMatchFloor = SOFT_MATCH_FLOOR;
  private readonly cache = new Map<string, number>();
  private readonly textRows = new Map<string, Int32Array>();
  private counts = new Map<number, number>();
  private total = 0;
  private a = SIF_A;
  private component: Float64Array | null = null;

  constructor(private readonly table: WordTable) {
    this.settings = { ...modelSettings(WORDVEC_MODEL_ID, 'wordvec'), dimension: table.dim };
  }

  private lookup = (word: string): number => {
    let row = this.cache.get(word);
    if (row === undefined) {
      if (this.cache.size >= LOOKUP_CACHE_MAX) this.cache.clear();
      row = this.table.find(word);
      this.cache.set(word, row);
    }
    return row;
  };

  /** SIF weight; before fitting (no corpus counts) every word weighs the same. */
  private weight(row: number): number {
    if (this.total === 0) return 1;
    return this.a / (this.a + (this.counts.get(row) ?? 0) / this.total);
  }

  /** Weighted mean of a text's word vectors (not yet projected, not normalised); null when no word is known. */
  private mean(rows: ArrayLike<number>): Float64Array | null {
    if (rows.length === 0) return null;
    const v = new Float64Array(this.table.dim);
    for (let i = 0; i < rows.length; i++) this.table.addTo(v, rows[i]!, this.weight(rows[i]!));
    for (let k = 0; k < v.length; k++) v[k]! /= rows.length;
    return v;
  }

  private embed(text: string, lookup = this.lookup): Float32Array {
    const v = this.mean(tableRows(text, lookup));
    const out = new Float32Array(this.table.dim);
    if (v) {
      const u = this.component;
      if (u) {
        let dot = 0;
        for (let k = 0; k < v.length; k++) dot += v[k]! * u[k]!;
        for (let k = 0; k < v.length; k++) v[k]! -= dot * u[k]!;
      }
      const norm = length(v);
      if (norm > 1e-12) {
        for (let k = 0; k < v.length; k++) out[k] = v[k]! / norm;
        return out;
      }
    }
    // No known word: a fixed tiny vector, so cosine distances stay finite (a zero vector gives NaN).
    out.fill(1e-6);
    return out;
  }

  fit(passages: readonly string[]): void {
    this.table.loadVectors();
    // Each passage is tokenised once: counting and the common component both need its words.
    const tokens = passages.map((text) => Int32Array.from(tableRows(text, this.lookup)));
    const counts = new Map<number, number>();
    let total = 0;
    for (const rows of tokens) {
      for (const row of rows) counts.set(row, (counts.get(row) ?? 0) + 1);
      total += rows.length;
    }
    this.counts = counts;
    this.total = total;
    this.a = SIF_A;
    this.component = this.commonComponent(tokens);
  }

  /** First right singular vector of the passages' weighted means (uncentred, as in SIF), by power iteration. */
  private commonComponent(passages: readonly Int32Array[]): Float64Array {
    const d = this.table.dim;
    const cov = new Float64Array(d * d);
    const step = Math.max(1, Math.floor(passages.length / COMPONENT_SAMPLE));
    for (let i = 0; i < passages.length; i += step) {
      const v = this.mean(passages[i]!);
      if (!v) continue;
      for (let r = 0; r < d; r++) {
        const vr = v[r]!;
        if (vr === 0) continue;
        for (let c = 0; c < d; c++) cov[r * d + c]! += vr * v[c]!;
      }
    }
    let u = new Float64Array(d).fill(1 / Math.sqrt(d));
    for (let iter = 0; iter < 100; iter++) {
      const next = new Float64Array(d);
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += cov[r * d + c]! * u[c]!;
        next[r] = s;
      }
      const norm = length(next);
      // An empty corpus has no common component: keep a zero vector (projection removes nothing).
      if (norm === 0) return new Float64Array(d);
      for (let k = 0; k < d; k++) next[k]! /= norm;
      u = next;
    }
    return u;
  }

  save(): string {
    const rows = Uint32Array.from(this.counts.keys());
    const counts = Uint32Array.from(this.counts.values());
    const saved: SavedStatistics = {
      version: 1,
      table: TABLE_ID,
      a: this.a,
      total: this.total,
      rows: Buffer.from(rows.buffer).toString('base64'),
      counts: Buffer.from(counts.buffer).toString('base64'),
      component: Array.from(this.component ?? []),
    };
    return JSON.stringify(saved);
  }

  restore(text: string): void {
    let saved: SavedStatistics;
    try {
      saved = JSON.parse(text) as SavedStatistics;
    } catch (err) {
      throw new PriorsError(`the index's word-vector statistics are damaged (${(err as Error).message}) — rerun ingest with --rebuild`);
    }
    if (saved.version !== 1 || saved.table !== TABLE_ID || saved.component.length !== this.table.dim) {
      throw new PriorsError('the index holds word-vector statistics of another table or format — rerun ingest with --rebuild');
    }
    const rows = uint32s(saved.rows);
    const counts = uint32s(saved.counts);
    this.counts = new Map(Array.from(rows, (row, i) => [row, counts[i]!]));
    this.total = saved.total;
    this.a = saved.a;
    this.component = Float64Array.from(saved.component);
  }

  /**
   * Each distinct request word weighs its SIF weight (rare words ≈ 1; function words are left out); a text scores the weighted
   * share of request words it has, or has a neighbour of (credited at the cosine, when ≥ the floor). Cosines are
   * computed once per distinct word of the texts scored, so scoring a candidate pool costs one pass over its words.
   */
  matchQuery(query: string): ((text: string) => number) | null {
    // Words as common as function words in the archive weigh too little to be worth their cosines.
    const queryRows = [...new Set(tableRows(query, this.lookup))].filter((r) => this.weight(r) >= SOFT_MATCH_MIN_WEIGHT);
    const weights = queryRows.map((r) => this.weight(r));
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const floor = this.softMatchFloor;
    const n = queryRows.length;
    const dim = this.table.dim;
    // The request words' unit vectors end to end, for `WordTable.cosines`.
    const queryUnits = new Float32Array(n * dim);
    for (const [i, q] of queryRows.entries()) queryUnits.set(this.table.unit(q), i * dim);
    const cosines = new Float64Array(n);
    // Most words of a passage are near no request word: they share one all-zero row.
    const none = new Float32Array(n);
    const near = new Map<number, Float32Array>();
    const similarities = (row: number): Float32Array => {
      let s = none;
      const exact = queryRows.indexOf(row);
      // Function words sit close to every word in these vectors ("runs"–"for" 0.51): they match only themselves.
      const common = this.table.rank(row) < SOFT_MATCH_COMMON;
      if (!common) this.table.cosines(row, queryUnits, n, cosines);
      for (let i = 0; i < n; i++) {
        const c = i === exact ? 1 : common ? 0 : cosines[i]!;
        if (c >= floor) {
          if (s === none) s = new Float32Array(n);
          s[i] = c;
        }
      }
      near.set(row, s);
      return s;
    };
    return (text) => {
      const best = new Float32Array(n);
      const rows = this.distinctRows(text);
      // Indexed, not for…of: a cold process interprets this loop for its first few thousand rows, where an iterator
      // costs a call per row (profiled on the archive: this closure's own time 3.6 → 3.1 ms).
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        const s = near.get(row) ?? similarities(row);
        if (s === none) continue;
        for (let i = 0; i < n; i++) if (s[i]! > best[i]!) best[i] = s[i]!;
      }
      let score = 0;
      for (let i = 0; i < n; i++) score += weights[i]! * best[i]!;
      return score / total;
    };
  }

  /** A text's distinct table rows; kept per text, since the same passages come back query after query. */
  private distinctRows(text: string): Int32Array {
    let rows = this.textRows.get(text);
    if (!rows) {
      rows = distinctTableRows(text, this.lookup);
      if (this.textRows.size >= TEXT_ROWS_MAX) this.textRows.clear();
      this.textRows.set(text, rows);
    }
    return rows;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    // A first build embeds thousands of passages: read all 34 MB of vectors at once. One edited post's few
    // passages read their words' rows one by one, which is cheaper than reading the whole section.
    if (texts.length >= FULL_LOAD_PASSAGES) this.table.loadVectors();
    return texts.map((t) => this.embed(t, this.passageLookup));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  /** No subword tokenizer: chunk budgets use the same word-based estimate as a full-text-only index. */
  countTokens(text: string): number {
    return estimateTokens(text);
  }

  async dispose(): Promise<void> {
    this.table.close();
  }
}

/** Euclidean length (Math.hypot over a spread array is several times slower on hot paths). */
function length(v: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k]! * v[k]!;
  return Math.sqrt(sum);
}

function uint32s(base64: string): Uint32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export async function loadWordVecEmbedder(opts: OpenTableOptions): Promise<WordVecEmbedder> {
  return new WordVecEmbedder(await openWordTable(opts));
}
