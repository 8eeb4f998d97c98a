/**
 * Mentions of the author's own work in a draft, resolved to indexed documents: titles named in running prose
 * (fuzzy: the words of a title close together, in any case), cue phrases ("in my post …", "my interview with
 * …", "the book's chapter on …"), and links to the author's own URLs. Resolution uses the index only (no
 * network): a link to the author's site that no indexed document answers to is flagged.
 */
import type { Person } from '../core/types.js';
import type { LinkResolution } from '../index/link-graph.js';
import type { DocumentRow } from '../index/schema.js';
import type { SearchHit } from '../search/types.js';
import { formatLocation } from '../text/citation-format.js';
import type { DraftLink } from '../text/draft-marks.js';
import type { DraftParagraph } from '../text/draft.js';
import { isStopWord, normalizeForMatch, stem, toOriginalSpan, wordTokens } from '../text/normalize.js';
import { findExact } from '../text/quote-match.js';

export interface CatalogDoc {
  docId: string;
  title: string | null;
  date: string | null;
  url: string | null;
  type: string;
  chapter: string | null;
  /** Content-word stems of the title, in order. */
  titleStems: string[];
  /** Guests of an interview (or every speaker but the host). */
  guests: string[];
}

export interface Catalog {
  docs: CatalogDoc[];
}

function parsePeople(json: string): Person[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as Person[]) : [];
  } catch {
    return [];
  }
}

function contentStems(text: string): string[] {
  return wordTokens(normalizeForMatch(text).norm)
    .filter((t) => !isStopWord(t.word))
    .map((t) => stem(t.word));
}

export function buildCatalog(rows: readonly DocumentRow[]): Catalog {
  const docs: CatalogDoc[] = rows.map((r) => {
    const people = parsePeople(r.people);
    const hosts = people.filter((p) => p.role === 'host').map((p) => p.name);
    return {
      docId: r.doc_id,
      title: r.title,
      date: r.date,
      url: r.url,
      type: r.type,
      chapter: r.chapter,
      titleStems: r.title ? contentStems(r.title) : [],
      guests: people.filter((p) => p.role === 'guest' || (p.role === null && !hosts.includes(p.name))).map((p) => p.name),
    };
  });
  return { docs };
}

export type MentionKind = 'title' | 'cue' | 'link';
/** `resolved` to one document; `ambiguous` (the best of several that fit equally); `unresolved`: a cue names own work no document matches; `unknown_link`: a link to a document page of the author's site that no indexed document has (dead, moved or not ingested). */
export type MentionStatus = 'resolved' | 'ambiguous' | 'unresolved' | 'unknown_link';

export interface Mention {
  paragraph: number;
  kind: MentionKind;
  status: MentionStatus;
  /** `[start, end)` in the draft of the words (or link) that name the work. */
  start: number;
  end: number;
  text: string;
  docId: string | null;
  title: string | null;
  url: string | null;
  /** 0–1: 1 for a link or a title written out in full. */
  confidence: number;
  /** Other documents that fit as well (an ambiguous mention). */
  alternatives: string[];
  /** Whether the words are (inside) a link in the draft. */
  linked: boolean;
  /** The words to turn into a link to it: its title as written, else the cue and name ("interview with Eugene Vinitsky"). */
  anchor: { start: number; end: number; text: string };
  /**
   * For an unresolved "my post on …" or "I wrote about …": the post a search of the author's posts for those
   * words ranks first. A guess for the author to check, never a match: `docId` stays null.
   */
  suggestion: MentionSuggestion | null;
}

export interface MentionSuggestion {
  /** The words searched for: what the cue says the post is about. */
  query: string;
  docId: string;
  title: string | null;
  date: string | null;
  url: string | null;
  /** The passage that answered the search: its lines and `docId:lines`. */
  lineStart: number;
  lineEnd: number;
  citation: string;
}

interface Token {
  stem: string;
  content: boolean;
  /** Offsets in the paragraph text. */
  start: number;
  end: number;
}

function paragraphTokens(text: string): Token[] {
  const n = normalizeForMatch(text);
  return wordTokens(n.norm).map((t) => {
    const span = toOriginalSpan(n, t.ns, t.ne);
    return { stem: stem(t.word), content: !isStopWord(t.word), start: span.start, end: span.end };
  });
}

/** A title is matched in prose when this share of its content words stands together in one stretch. */
const TITLE_COVERAGE = 0.75;
/** …and at least this many of them (a two-word title alone is too common a phrase to count). */
const TITLE_MIN_WORDS = 3;

/** Best stretch of `tokens` holding the most distinct title stems, no longer than the title plus a few words. */
function bestTitleWindow(tokens: readonly Token[], stems: readonly string[]): { covered: number; first: number; last: number } | null {
  const want = new Set(stems);
  const at = tokens.flatMap((t, i) => (t.content && want.has(t.stem) ? [i] : []));
  if (new Set(at.map((i) => tokens[i]!.stem)).size < Math.ceil(want.size * TITLE_COVERAGE)) return null;
  const span = stems.length * 2 + 3;
  let best: { covered: number; first: number; last: number } | null = null;
  for (let a = 0; a < at.length; a++) {
    const seen = new Set<string>();
    let last = at[a]!;
    for (let b = a; b < at.length && at[b]! - at[a]! <= span; b++) {
      seen.add(tokens[at[b]!]!.stem);
      last = at[b]!;
      if (!best || seen.size > best.covered) best = { covered: seen.size, first: at[a]!, last };
    }
  }
  return best;
}

interface Cue {
  kind: 'post' | 'interview' | 'chapter' | 'any';
  re: RegExp;
  /** Common outside the author's work ("I talked to my editor"): reported only when a document fits. */
  quiet?: boolean;
}

/** Title words of the paragraph that set one of two equally named documents apart (a share of the title's words). */
const TIE_OVERLAP = 0.15;

/** Phrases that announce the author's own work; the words after them (or the group) name it. */
const CUES: readonly Cue[] = [
  { kind: 'chapter', re: /\b(?:(?:my|the)\s+book(?:['’]s)?\s+)?chapters?\s+(?:on|about)\s+/gi },
  { kind: 'chapter', re: /\b(?:my|the)\s+book(?:['’]s)?\s+chapter\s+(?=\d|[A-C]\b)|\bchapter\s+(?=\d{1,2}\b)/gi },
  {
    kind: 'interview',
    re: /\b(?:my|our)\s+(?:(?:recent|earlier|last|first|\d{4})\s+)?(?:interview|conversation|podcast|episode|chat)\s+with\s+/gi,
  },
  { kind: 'interview', re: /\bI\s+interviewed\s+/g },
  { kind: 'interview', re: /\bI\s+(?:talked|spoke|chatted)\s+(?:to|with)\s+/g, quiet: true },
  { kind: 'interview', re: /\b(?:my|our)\s+((?:[A-Z][\w.'’-]*\s+){1,3})(?:interview|conversation|episode|podcast)\b/g },
  {
    kind: 'post',
    re: /\b(?:my|our|an?\s+(?:earlier|previous|older|recent))\s+(?:(?:earlier|previous|last|old|older|recent|first|\d{4})\s+)?(?:post|piece|essay|article|newsletter|blog\s?post|write-?up)(?:\s+(?:on|about|called|titled|named))?\s*/gi,
  },
  { kind: 'any', re: /\bI\s+(?:wrote|argued|explained|covered|discussed)\s+(?:in|on|about)\s+/gi },
];

/** The words a cue points at: a quoted or emphasised title, else the clause up to punctuation (≤ 14 words). */
function cueTarget(text: string, from: number): { start: number; end: number } {
  const open = text[from];
  const close = open === '“' ? '”' : open === '"' || open === '*' || open === '_' ? open : null;
  if (close) {
    const end = text.indexOf(close, from + 1);
    if (end > from) return { start: from, end: end + 1 };
  }
  const rest = text.slice(from);
  const stop = /[.;:!?)\]—](?:\s|$)|,\s|\s[-–]\s|\n/.exec(rest);
  let end = from + (stop ? stop.index : rest.length);
  const words = [...text.slice(from, end).matchAll(/\S+/g)];
  if (words.length > 14) end = from + words[13]!.index + words[13]![0].length;
  return { start: from, end };
}

function kindFits(doc: CatalogDoc, kind: Cue['kind']): boolean {
  if (kind === 'chapter') return doc.type === 'chapter';
  if (kind === 'interview') return doc.type === 'interview' || doc.guests.length > 0;
  if (kind === 'post') return doc.type !== 'chapter';
  return true;
}

export interface MentionContext {
  catalog: Catalog;
  /** Where a link leads, from the index alone (the link graph's resolver). */
  resolveLink(url: string): LinkResolution;
  /** How strongly the draft's searches tie a document to a paragraph (0 when not at all): breaks ties. */
  evidence(docId: string, paragraph: number): number;
  /** The best passage of the author's posts for some words, or null: a suggestion for a post cue no title fits. */
  searchPosts?(query: string): Promise<SearchHit | null>;
}

/** Searches for suggestions per draft (each ~10–100 ms); later unresolved post cues get none. */
const MAX_SUGGESTIONS = 20;

/** Documents fitting a cue's target, best first, with their scores (0–1). */
function resolveCue(
  cue: Cue,
  para: DraftParagraph,
  target: { start: number; end: number },
  tokens: readonly Token[],
  ctx: MentionContext,
): Resolved[] {
  const targetText = para.text.slice(target.start, target.end);
  const targetStems = new Set(contentStems(targetText));
  const scored: Resolved[] = [];
  const inTarget = tokens.filter((t) => t.start >= target.start && t.end <= target.end);
  const paragraphStems = new Set(tokens.filter((t) => t.content).map((t) => t.stem));
  for (const doc of ctx.catalog.docs) {
    if (!kindFits(doc, cue.kind)) continue;
    let score = 0;
    let span: { start: number; end: number } | null = null;
    let byTitle = false;
    if (cue.kind === 'interview') {
      // A guest named in the cue's words (full name, or a surname / first name written capitalised).
      for (const name of doc.guests) {
        const parts = name.split(/\s+/).filter((w) => w.length >= 3);
        const tries: [string | undefined, number][] = [
          [name, 1],
          [parts.length > 1 ? parts[parts.length - 1] : undefined, 0.8],
          [parts[0], 0.6],
        ];
        for (const [w, s] of tries) {
          if (!w || s <= score) continue;
          const m = new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).exec(targetText);
          if (!m) continue;
          score = s;
          // "Eugene" alone still links the whole name when it follows.
          const full = targetText.indexOf(name, m.index) === m.index ? name.length : m[0].length;
          span = { start: target.start + m.index, end: target.start + m.index + full };
          break;
        }
      }
    } else if (cue.kind === 'chapter' && /^\s*\d{1,2}\b|^\s*[A-C]\b/.test(targetText)) {
      const m = /^\s*(\d{1,2}|[A-C])\b/.exec(targetText)!;
      score = doc.chapter === m[1] ? 1 : 0;
      span = { start: target.start, end: target.start + m[0].length };
    } else if (doc.titleStems.length) {
      const covered = doc.titleStems.filter((s) => targetStems.has(s)).length;
      const coverage = covered / doc.titleStems.length;
      // A chapter is named by its topic ("the chapter on reward models"): any shared word counts.
      const enough =
        cue.kind === 'chapter' ? covered >= 1 && coverage >= 0.5 : covered >= Math.min(2, doc.titleStems.length) && coverage >= 0.6;
      if (enough) {
        score = coverage * 0.8 + (covered / Math.max(1, targetStems.size)) * 0.2;
        const hit = inTarget.filter((t) => t.content && doc.titleStems.includes(t.stem));
        if (hit.length) span = titleSpan(para.text, doc.title, { start: hit[0]!.start, end: hit[hit.length - 1]!.end });
        byTitle = cue.kind !== 'chapter';
      }
    }
    if (score <= 0 || span === null) continue;
    const overlap = doc.titleStems.filter((s) => paragraphStems.has(s)).length / Math.max(1, doc.titleStems.length);
    scored.push({ doc, score, overlap, evidence: ctx.evidence(doc.docId, para.index), span, byTitle });
  }
  // Ties (two interviews with one guest) go to the one whose title shares more of the paragraph's words, then
  // to the one the paragraph's searches found first.
  return scored.sort((a, b) => b.score - a.score || b.overlap - a.overlap || b.evidence - a.evidence);
}

/** The title as written in the paragraph when it is there in full near `words` (so "An" of "An unexpected …" is in the link), else `words`. */
function titleSpan(text: string, title: string | null, words: { start: number; end: number }): { start: number; end: number } {
  if (!title) return words;
  const exact = findExact(title, text).find((m) => m.start <= words.end && words.start <= m.end);
  return exact ?? words;
}

interface Resolved {
  doc: CatalogDoc;
  score: number;
  /** Share of the title's words the paragraph has. */
  overlap: number;
  /** How strongly the paragraph's searches found it. */
  evidence: number;
  /** The words of the paragraph that name it (title words, the guest's name, the chapter number). */
  span: { start: number; end: number };
  /** Named by its title (the title words make the link), not by a guest or a topic. */
  byTitle: boolean;
}

/** Leading words of a cue that are no part of a link's text: "When I interviewed …" links "interviewed …". */
const ANCHOR_LEAD = /^(?:(?:when|as|in|from|see|per|on|i|my|our|the|an?)\s+)+/i;

function mentionOf(
  para: DraftParagraph,
  kind: MentionKind,
  span: { start: number; end: number },
  best: { doc: CatalogDoc; score: number } | null,
  rivals: CatalogDoc[],
  anchor: { start: number; end: number } = span,
): Mention {
  return {
    paragraph: para.index,
    kind,
    status: best === null ? 'unresolved' : rivals.length ? 'ambiguous' : 'resolved',
    start: para.start + span.start,
    end: para.start + span.end,
    text: para.text.slice(span.start, span.end),
    docId: best?.doc.docId ?? null,
    title: best?.doc.title ?? null,
    url: best?.doc.url ?? null,
    confidence: best ? Number(Math.min(1, best.score).toFixed(2)) : 0,
    alternatives: rivals.map((d) => d.docId),
    linked: false,
    anchor: { start: para.start + anchor.start, end: para.start + anchor.end, text: para.text.slice(anchor.start, anchor.end) },
    suggestion: null,
  };
}

/** The post a search for a cue's words finds, as a suggestion; null when the words have no content word or nothing answers. */
async function suggestPost(ctx: MentionContext, words: string): Promise<MentionSuggestion | null> {
  const query = words.replace(/^["“*_]+|["”*_]+$/g, '').trim();
  if (!ctx.searchPosts || contentStems(query).length === 0) return null;
  const hit = await ctx.searchPosts(query);
  if (!hit) return null;
  return {
    query,
    docId: hit.docId,
    title: hit.title,
    date: hit.date,
    url: hit.url,
    lineStart: hit.lineStart,
    lineEnd: hit.lineEnd,
    citation: formatLocation(hit),
  };
}

/**
 * Every mention of the author's own work in the draft's paragraphs, in draft order. A post cue that no title
 * fits carries a suggestion from `searchPosts` (at most MAX_SUGGESTIONS per draft).
 */
export async function findMentions(
  paragraphs: readonly DraftParagraph[],
  links: readonly DraftLink[],
  ctx: MentionContext,
): Promise<Mention[]> {
  const out: Mention[] = [];
  // Unresolved post cues and the words they point at: searched once the paragraph's mentions are settled.
  const postCues = new Map<Mention, string>();
  let suggestions = 0;
  const byId = new Map(ctx.catalog.docs.map((d) => [d.docId, d]));
  for (const para of paragraphs) {
    if (para.kind === 'code' || para.kind === 'frontmatter') continue;
    const tokens = paragraphTokens(para.text);
    const found: Mention[] = [];

    for (const cue of CUES) {
      cue.re.lastIndex = 0;
      for (let m = cue.re.exec(para.text); m !== null; m = cue.re.exec(para.text)) {
        const group =
          m[1] !== undefined ? { start: m.index + m[0].indexOf(m[1]), end: m.index + m[0].indexOf(m[1]) + m[1].trimEnd().length } : null;
        const target = group ?? cueTarget(para.text, m.index + m[0].length);
        if (target.end <= target.start) continue;
        const ranked = resolveCue(cue, para, target, tokens, ctx);
        const best = ranked[0] ?? null;
        // Two documents that fit the words equally well and that the paragraph's other words do not tell apart
        // (two interviews with one guest, on one topic): the mention is ambiguous.
        const rivals = best
          ? ranked
              .slice(1)
              .filter((r) => best.score - r.score < 0.01 && best.overlap - r.overlap < TIE_OVERLAP)
              .map((r) => r.doc)
          : [];
        const cueEnd = m.index + m[0].trimEnd().length;
        if (!best) {
          if (cue.quiet) continue;
          const unresolved = mentionOf(para, 'cue', { start: m.index, end: Math.max(target.end, cueEnd) }, null, []);
          if (cue.kind === 'post' || cue.kind === 'any') postCues.set(unresolved, para.text.slice(target.start, target.end));
          found.push(unresolved);
          continue;
        }
        const span = { start: Math.min(m.index, best.span.start), end: Math.max(best.span.end, group ? cueEnd : best.span.end) };
        const lead = ANCHOR_LEAD.exec(para.text.slice(span.start, span.end))?.[0].length ?? 0;
        const anchor = best.byTitle ? best.span : { start: span.start + lead, end: span.end };
        found.push(mentionOf(para, 'cue', span, best, rivals, anchor));
      }
    }

    for (const doc of ctx.catalog.docs) {
      if (doc.titleStems.length < TITLE_MIN_WORDS) continue;
      const w = bestTitleWindow(tokens, doc.titleStems);
      if (!w || w.covered < TITLE_MIN_WORDS || w.covered / new Set(doc.titleStems).size < TITLE_COVERAGE) continue;
      const span = titleSpan(para.text, doc.title, { start: tokens[w.first]!.start, end: tokens[w.last]!.end });
      found.push(mentionOf(para, 'title', span, { doc, score: w.covered / new Set(doc.titleStems).size }, []));
    }

    for (const link of links.filter((l) => l.paragraph === para.index)) {
      // Only links to a document page of the author's own site count: `/about` and other sites are no mention.
      const where = ctx.resolveLink(link.url);
      if (where.status !== 'document' && where.status !== 'missing') continue;
      const doc = where.status === 'document' ? (byId.get(where.document.docId) ?? null) : null;
      // A link to a document outside the check (another root, the draft itself) is no mention of one inside it.
      if (where.status === 'document' && !doc) continue;
      const m = mentionOf(para, 'link', { start: link.start - para.start, end: link.end - para.start }, doc && { doc, score: 1 }, []);
      found.push({ ...m, status: doc ? 'resolved' : 'unknown_link', linked: true });
    }

    // One mention per document per paragraph: a link beats a cue, a cue beats a bare title; overlapping
    // cue and title mentions of one document merge.
    const rank = { link: 0, cue: 1, title: 2 } as const;
    found.sort((a, b) => rank[a.kind] - rank[b.kind] || b.confidence - a.confidence);
    const kept: Mention[] = [];
    for (const m of found) {
      if (m.docId !== null && kept.some((k) => k.docId === m.docId)) continue;
      // A cue whose words a resolved title mention already explains is that mention.
      if (m.status === 'unresolved' && kept.some((k) => k.docId !== null && k.start < m.end && m.start < k.end)) continue;
      if (m.kind === 'title') {
        const over = kept.find((k) => k.status === 'unresolved' && k.start < m.end && m.start < k.end);
        if (over) kept.splice(kept.indexOf(over), 1);
      }
      kept.push(m);
    }
    for (const m of kept) {
      m.linked ||= links.some((l) => l.start <= m.start && m.end <= l.end);
      const words = postCues.get(m);
      if (words !== undefined && suggestions < MAX_SUGGESTIONS) {
        suggestions++;
        m.suggestion = await suggestPost(ctx, words);
      }
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.start - b.start);
}
