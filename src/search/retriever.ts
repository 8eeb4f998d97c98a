import { PerIndexVersion } from './per-index-version.js';
import { UsageError } from '../core/errors.js';
import type { Embedder } from '../embed/embedder.js';
import { decodeTags } from '../index/rows.js';
import {
  charGramSearch,
  documentTitles,
  fullTextSearch,
  fullTextSearchIn,
  listedRows,
  vectorSearch,
  type HitRow,
  type ListedRow,
  type Ranked,
} from '../index/chunk-search.js';
import type { IndexStore, Snapshot } from '../index/store.js';
import { assertKnownFilters, filterToSql, pathMatcher } from './filters.js';
import { namedSpeaker, parseQuery, withoutName, type DocumentKind, type QueryIntent } from './query-intent.js';
import {
  DOCUMENT_RANK_DEFAULTS,
  listByDocument,
  scoreDocuments,
  type DocumentRankOptions,
  type DocumentScore,
  type ListedPassage,
} from './document-rank.js';
import type { Reranker } from '../embed/reranker.js';
import { rerankHits } from './rerank.js';
import { fuseRankings, type FusionMethod } from './hybrid-fusion.js';
import type { Normalisation } from './fusion.js';
import { CHAR_GRAM_WEIGHT, charGramQueryText } from './char-grams.js';
import { SOFT_MATCH_DEPTH, SOFT_MATCH_WEIGHT, softMatchFused } from './soft-match.js';
import { TitleIndex } from './title-match.js';
import type { SearchHit, SearchMode, SearchRequest } from './types.js';

/** A listed hit from its candidate row and the rest of its row (`listedRows`). */
export function rowToHit(row: HitRow, rest: ListedRow, score: number, documentScore: number): SearchHit {
  return {
    docId: row.doc_id,
    title: row.title ?? null,
    date: row.date ?? null,
    url: rest.url ?? null,
    type: row.type,
    sourceType: rest.source_type ?? null,
    root: rest.root,
    section: rest.section ?? null,
    speaker: row.speaker ?? null,
    timestamp: rest.timestamp ?? null,
    speakers: decodeTags(rest.speakers ?? ''),
    lineStart: rest.line_start,
    lineEnd: rest.line_end,
    score,
    documentScore,
    text: row.text,
    passage: {
      start: row.passage_start,
      end: row.passage_end,
      lineStart: rest.passage_line_start,
      lineEnd: rest.passage_line_end,
    },
    relPath: row.rel_path,
    tags: decodeTags(rest.tags),
    chunkIndex: row.chunk_index,
    start: row.start,
    end: row.end,
  };
}

/** What ranking needs of a request once its lists are fetched. */
interface RankRequest {
  /** The text matched (cues and a named speaker taken out). */
  query: string;
  intent: QueryIntent;
  speaker: string | null;
  mode: SearchMode;
  keepPath: ReturnType<typeof pathMatcher>;
  k: number;
  /** Documents the request names by title, with the share of the title it has (`TitleIndex.named`). */
  named: ReadonlyMap<string, number>;
}

/**
 * A first-stage candidate as ranking sees it: its document, score and row (a plain object, see
 * src/index/plain-rows.ts); every other field is read from the row where ranking needs it.
 */
export interface Candidate {
  docId: string;
  score: number;
  row: HitRow;
}

/**
 * The listed candidates as a search shows them: each chunk's enclosing passage (its text and the rest of its row
 * read now, for these few rows only), with the chunk's metadata.
 */
async function showPassages(snapshot: Snapshot, listed: readonly ListedPassage<Candidate>[]): Promise<SearchHit[]> {
  const rows = await listedRows(
    snapshot,
    listed.map((c) => c.row),
  );
  return listed.map((c, i) => {
    const rest = rows[i];
    // Read from the snapshot that returned the row, so it is there; `IndexStore.read` retries a read an ingest cut short.
    if (!rest) throw new Error(`chunk ${c.docId}#${c.row.chunk_index} is missing from the index snapshot it was found in`);
    const hit = rowToHit(c.row, rest, c.score, c.documentScore);
    return { ...hit, ...hit.passage, text: rest.passage_text };
  });
}

/** How much a document's score grows when the request's cues point at it. */
export interface CueBoosts {
  /** The kind the request names (chapter, interview). */
  kind: number;
  /** A year the request names. */
  year: number;
  /** "first", "early on": the oldest candidate gets this much, the newest nothing. */
  earliest: number;
  /** A speaker the request names: their turns gain this share of the best passage's score. */
  speaker: number;
  /** Year-in-review, roundup and reading-list posts list other posts' titles: their score is cut by this share. */
  roundup: number;
  /**
   * A document the request names by its title gains this share of the best document's score, plus as much again
   * times the share of its title the request has (1: it ranks first; 0 turns title naming off; see `liftNamed`).
   */
  title: number;
}

const CUE_BOOST_DEFAULTS: CueBoosts = { kind: 1, year: 0.3, earliest: 2, speaker: 0.5, roundup: 0.3, title: 1 };

/** Titles of posts that mostly list or link other posts: year in review, roundups, reading and link lists, digests. */
const ROUNDUP_TITLE =
  /\b(?:year in review|roundup|round-up|what i'?ve been reading|links?(?: for| of the)|reading list|artifacts log|digest)\b/i;

/**
 * A word every `ROUNDUP_TITLE` match contains (lower-cased): testing for them first spares compiling the regex (~0.3 ms
 * on its first use in a process) in a search whose titles name no roundup, most of them.
 */
const ROUNDUP_WORDS = ['review', 'round', 'reading', 'link', 'artifacts', 'digest'];

/** Whether `text` matches `ROUNDUP_TITLE`. */
function namesRoundup(text: string): boolean {
  const lower = text.toLowerCase();
  return ROUNDUP_WORDS.some((w) => lower.includes(w)) && ROUNDUP_TITLE.test(text);
}

/** A year-in-review, roundup, reading list, link list or digest: it lists other posts more than it says anything. */
export function isRoundupTitle(title: string | null): boolean {
  return title !== null && namesRoundup(title);
}

const CHAPTER_PATH = /(^|\/)chapters?\//i;

/** Whether a passage belongs to a document of this kind; untyped archives are read by their folders. */
function isKind(row: HitRow, kind: DocumentKind): boolean {
  if (kind === 'chapter') return row.type === 'chapter' || CHAPTER_PATH.test(row.doc_id) || CHAPTER_PATH.test(row.rel_path);
  return row.type === 'interview' || row.type === 'transcript' || (row.speaker ?? null) !== null;
}

function yearOf(row: HitRow): number | null {
  const y = row.date ? Number(row.date.slice(0, 4)) : NaN;
  return Number.isFinite(y) ? y : null;
}

/** A document's score factor from the request's cues (1 when none applies). */
function cueFactor(intent: QueryIntent, boosts: CueBoosts, candidates: readonly Candidate[]): (best: Candidate) => number {
  let oldest = Infinity;
  let newest = -Infinity;
  if (intent.earliest) {
    for (const h of candidates) {
      const y = yearOf(h.row);
      if (y === null) continue;
      oldest = Math.min(oldest, y);
      newest = Math.max(newest, y);
    }
  }
  return (best) => {
    let f = 1;
    if (intent.kind && isKind(best.row, intent.kind)) f *= 1 + boosts.kind;
    const y = yearOf(best.row);
    if (y !== null && intent.years.includes(y)) f *= 1 + boosts.year;
    if (intent.earliest && y !== null && newest > oldest) f *= 1 + (boosts.earliest * (newest - y)) / (newest - oldest);
    if (isRoundupTitle(best.row.title ?? null) && !namesRoundup(intent.text)) f *= 1 - boosts.roundup;
    return f;
  };
}

/** Passages fetched per named document that no list reached: enough to list its best few. */
const NAMED_PASSAGES = 10;

/**
 * Documents the request names by title ahead of the rest: each gains `share` of the best document's score, and as
 * much again times the share of its title the request has (a fixed lift, like a named speaker's, so a weakly
 * matching named post still passes the others, and of two named posts the one whose title the request is more of
 * leads unless the other matches far better). At share 1 a named one with no score of its own still comes first.
 */
function liftNamed<T>(docs: DocumentScore<T>[], named: ReadonlyMap<string, number>, share: number): void {
  const top = share * Math.max(0, docs[0]?.score ?? 0);
  const isNamed = (d: DocumentScore<T>) => (named.has(d.docId) ? 1 : 0);
  for (const d of docs) d.score += top * isNamed(d) * (1 + (named.get(d.docId) ?? 0));
  docs.sort((a, b) => b.score - a.score || isNamed(b) - isNamed(a));
}

/** Hybrid retrieval over one index: BM25 and vector lists, fused, filtered, de-duplicated. */
export class Retriever {
  /** How hybrid mode fuses its lists; benchmarks compare the alternatives in one run. */
  fusion: FusionMethod = 'convex';
  /** How convex fusion puts the two lists on one scale. */
  normalisation: Normalisation = 'minmax';
  /** How passages add up to a document's rank (search output is ordered by it). */
  documentRank: DocumentRankOptions = { ...DOCUMENT_RANK_DEFAULTS };
  /** How strongly the request's cues (kind, year, "first") lift matching documents. */
  cueBoosts: CueBoosts = { ...CUE_BOOST_DEFAULTS };
  /** The index's titles, per index version, read once: a few hundred short strings, compared with every request. */
  private readonly titles = new PerIndexVersion<TitleIndex>();
  /** Candidates taken from each first-stage list. */
  poolSize = 100;
  /** Trust in the vector list relative to BM25 (from the model registry). */
  denseWeight: number;
  /** Trust in the character n-gram list relative to BM25 (hybrid mode; 0 turns it off). */
  charGramWeight = CHAR_GRAM_WEIGHT;
  /** Trust in soft word matching of the fused pool relative to BM25 (hybrid mode, word vectors; 0 turns it off). */
  softMatchWeight = SOFT_MATCH_WEIGHT;
  /** Candidates of the fused pool that soft matching scores. */
  softMatchDepth = SOFT_MATCH_DEPTH;
  /** Optional second stage (a cross-encoder); off unless configured. */
  reranker: Reranker | null = null;

  constructor(
    readonly store: IndexStore,
    readonly embedder: Embedder | null,
  ) {
    this.denseWeight = embedder?.settings.denseWeight ?? 0;
  }

  /** The mode actually used: without vectors every mode falls back to BM25. */
  effectiveMode(mode: SearchMode | undefined): SearchMode {
    const wanted = mode ?? 'hybrid';
    return this.embedder && this.store.hasVectors ? wanted : 'bm25';
  }

  bm25(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    return this.store.read((s) => fullTextSearch(s, query, where, limit));
  }

  async vector(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    if (!this.embedder) return [];
    const vector = await this.embedder.embedQuery(query);
    return this.store.read((s) => vectorSearch(s, vector, where, limit));
  }

  private knownTitles(s: Snapshot): Promise<TitleIndex> {
    return this.titles.get(s.metaVersion, async () => new TitleIndex(await documentTitles(s)));
  }

  /** Ranked, de-duplicated passages (flat: several may come from one document). */
  async search(req: SearchRequest): Promise<SearchHit[]> {
    if (!req.query.trim()) throw new UsageError('the query is empty — say what to look for');
    const intent = parseQuery(req.query);
    if (!Number.isInteger(req.k) || req.k < 1) throw new UsageError('k must be a whole number ≥ 1');
    await assertKnownFilters(this.store, req.filters);
    const mode = this.effectiveMode(req.mode);
    const where = filterToSql(req.filters);
    const keepPath = pathMatcher(req.filters);
    // Wider pools: fusion needs depth, and the path glob and de-duplication remove some candidates.
    const pool = Math.max(req.k * 2, this.poolSize) * (keepPath ? 10 : 1);
    const lists = async (s: Snapshot, query: string) => {
      const vector = mode !== 'bm25' && this.embedder ? await this.embedder.embedQuery(query) : null;
      const grams = mode === 'hybrid' && this.charGramWeight > 0 ? charGramQueryText(query) : '';
      return Promise.all([
        // BM25 alone reads what its listed passages show with its candidates, sparing a second read (see fullTextSearch).
        mode === 'vector' ? Promise.resolve([]) : fullTextSearch(s, query, where, pool, mode === 'bm25'),
        vector ? vectorSearch(s, vector, where, pool) : [],
        charGramSearch(s, grams, where, pool),
      ]);
    };
    // Every list and the passages shown from one snapshot: an ingest finishing meanwhile never mixes two states.
    return this.store.read(async (s) => {
      // The lists are fetched for the whole request, the index's speakers being in its snapshot. A request that names
      // a speaker (rare) then fetches them again without the name, since a speaker's turns rarely contain their own
      // name: the name picks the turns, not the words to match.
      const [first, titles] = await Promise.all([lists(s, intent.text), this.cueBoosts.title > 0 ? this.knownTitles(s) : null]);
      const speaker = this.cueBoosts.speaker > 0 ? namedSpeaker(req.query, s.facts.speakers) : null;
      const query = speaker ? withoutName(intent.text, speaker) : intent.text;
      const [lexical, dense, charGrams] = speaker ? await lists(s, query) : first;
      // Matched on the request's topic as typed: a title names its guest, so the speaker's name stays in.
      const named = titles?.named(intent.text) ?? new Map<string, number>();
      // A named document none of the lists reached (its words are common, its passages long) joins the BM25 list
      // with its own best passages, as a deeper BM25 list would have brought it; the lift then puts it first.
      const seen = named.size > 0 && mode !== 'vector' ? new Set([...lexical, ...dense, ...charGrams].map((r) => r.row.doc_id)) : null;
      const missing = seen ? [...named.keys()].filter((id) => !seen.has(id)) : [];
      if (missing.length > 0) {
        lexical.push(...(await fullTextSearchIn(s, query, missing, where, NAMED_PASSAGES * missing.length)));
        lexical.sort((a, b) => b.score - a.score);
      }
      const listed = await this.rank({ query, intent, speaker, mode, keepPath, k: req.k, named }, lexical, dense, charGrams);
      return showPassages(s, listed);
    });
  }

  /** The lists fused, cues and speaker applied, documents ranked, and the top k passages listed (chunk text still). */
  private async rank(request: RankRequest, lexical: Ranked[], dense: Ranked[], charGrams: Ranked[]): Promise<ListedPassage<Candidate>[]> {
    const { query, intent, speaker, mode, keepPath, k, named } = request;
    const ranked =
      mode === 'hybrid'
        ? fuseRankings(
            [
              { ranked: lexical, weight: 1 },
              { ranked: dense, weight: this.denseWeight },
              { ranked: charGrams, weight: this.charGramWeight },
            ],
            this.fusion,
            this.normalisation,
          )
        : mode === 'bm25'
          ? lexical
          : dense;
    const matcher = mode === 'hybrid' && this.softMatchWeight > 0 ? this.embedder?.wordMatcher?.matchQuery(query) : null;
    const fused = matcher ? softMatchFused(ranked, matcher, this.softMatchWeight, this.softMatchDepth) : ranked;
    const hits: Candidate[] = fused
      .filter((r) => !keepPath || keepPath(r.row.rel_path, r.row.doc_id))
      .map((r) => ({ docId: r.row.doc_id, score: r.score, row: r.row }));
    // A cross-encoder reads the candidates' text (it costs far more than reading the text from their rows).
    const reranked = this.reranker
      ? await rerankHits(
          this.reranker,
          query,
          hits.map((h) => ({ ...h, text: h.row.text })),
        )
      : hits;
    if (speaker) {
      // A fixed lift (a share of the best score), so even their weakly matching turns pass the other passages.
      const lift = this.cueBoosts.speaker * Math.abs(reranked[0]?.score ?? 0);
      for (const h of reranked) if ((h.row.speaker ?? null) === speaker) h.score += lift;
      reranked.sort((a, b) => b.score - a.score);
    }
    const docs = scoreDocuments(reranked, this.documentRank, cueFactor(intent, this.cueBoosts, reranked));
    if (named.size > 0) liftNamed(docs, named, this.cueBoosts.title);
    // Matched and ranked on chunks, listed at their enclosing passages (src/ingest/passages.ts).
    return listByDocument(docs, k, (h) => ({ text: h.row.text, start: h.row.passage_start, end: h.row.passage_end }));
  }
}
