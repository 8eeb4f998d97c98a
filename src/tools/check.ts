import * as z from 'zod';
import type { DocumentHeader } from '../core/types.js';
import { loadLinkResolver } from '../index/link-graph.js';
import type { SearchHit } from '../search/types.js';
import { formatLocation } from '../text/citation-format.js';
import { attributionMatches, findAttribution } from '../text/attribution.js';
import { displayText } from '../text/display.js';
import { findDraftLinks, findDraftQuotes, type DraftQuoteKind } from '../text/draft-marks.js';
import type { DraftBlockKind } from '../text/draft.js';
import { bestWindow, findExact, passageSimilarity } from '../text/quote-match.js';
import { letterDigitRuns } from '../text/normalize.js';
import { sentenceRanges } from '../text/sentences.js';
import { excerpt, rankDocuments, searchDraftInput, type DocumentEvidence } from './draft-search.js';
import { cappedText, shortList, shortText, TEXT_LIMITS } from './limits.js';
import { buildCatalog, findMentions, type Mention } from './mentions.js';
import { speakerLine, verifyQuote, type QuoteOutput } from './quote.js';
import { defineTool } from './tool.js';
import { count } from './count.js';

export const checkInput = z
  .object({
    text: cappedText('draft', TEXT_LIMITS.draft).optional().describe('the draft text'),
    path: shortText('path').optional().describe('path to a draft file (local front ends only)'),
    documents: z.number().int().min(1).max(30).default(8).describe('how many related documents to rank over the whole draft'),
    passages: z.number().int().min(1).max(5).default(2).describe('related passages shown per paragraph'),
    root: shortList('root').optional().describe('only these roots (collections), by name'),
    format: z
      .enum(['report', 'markdown'])
      .default('report')
      .describe('report: the findings; markdown: also the draft with suggested links and footnotes (the file is never changed)'),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.path === undefined), { message: 'give exactly one of text or path' });

/** A passage of prior writing, compact: where it is and what it says (cleaned, at most PASSAGE_CHARS). */
export interface CheckPassage extends DocumentHeader {
  type: string;
  speaker: string | null;
  timestamp: string | null;
  lineStart: number;
  lineEnd: number;
  /** `docId:lines`, accepted by cite and get_document. */
  citation: string;
  displayText: string;
  score: number;
}

export interface CheckDocument extends DocumentHeader {
  type: string;
  score: number;
  /** The draft names it (title, cue phrase or link). */
  named: boolean;
  /** A quote in the draft is verified in it. */
  quoted: boolean;
  /** The draft links to it. */
  linked: boolean;
  /** Paragraph numbers (1-based) it relates to, is named or quoted in. */
  paragraphs: number[];
  /** Its passage most related to the draft. */
  passage: CheckPassage | null;
}

export interface CheckQuote {
  kind: DraftQuoteKind;
  /** `[start, end)` in the draft. */
  start: number;
  end: number;
  text: string;
  /** The quote tool's verdict (verified, paraphrase, not_found, …). */
  verdict: QuoteOutput['verdict'];
  /** The quote tool's answer in full: locations with lines, speaker, role and timestamp. */
  result: QuoteOutput;
  /**
   * Whom the draft credits with a quote verified in an interview turn, against who says it there; null when
   * the draft names nobody near the quote (or the words are not an interview turn's).
   */
  attribution: QuoteAttribution | null;
}

export interface QuoteAttribution {
  /** The draft's words for the speaker: "Ross Taylor", "I", "my guest". */
  drafted: string;
  /** Who says the words in the archive. */
  speaker: string;
  role: 'host' | 'guest';
  /** False: the draft credits someone else (a misattribution). */
  matches: boolean;
}

export interface CheckOverlap {
  /** `[start, end)` of the draft's sentence. */
  start: number;
  end: number;
  sentence: string;
  /** 1 for the same words; ≥ OVERLAP_THRESHOLD for nearly the same. */
  similarity: number;
  where: CheckPassage;
}

export interface LinkToAdd {
  paragraph: number;
  docId: string;
  title: string | null;
  url: string;
  /** `[Title](url)`, ready to paste. */
  markdown: string;
  /** `named`: the draft names it without linking; `related`: the draft discusses what it says. */
  reason: 'named' | 'related';
  /** The draft's words that name it (for `named`). */
  anchor: { start: number; end: number; text: string } | null;
}

export interface CheckParagraph {
  /** 1-based. */
  paragraph: number;
  kind: DraftBlockKind;
  lineStart: number;
  lineEnd: number;
  start: number;
  end: number;
  excerpt: string;
  related: CheckPassage[];
  mentions: Mention[];
  quotes: CheckQuote[];
  overlaps: CheckOverlap[];
  linksToAdd: LinkToAdd[];
}

export interface CheckOutput {
  draft: {
    path: string | null;
    chars: number;
    paragraphs: number;
    /** Searches run for the draft's paragraphs (long ones in several windows). */
    probes: number;
    /** Set when a huge draft was checked only in part: says how far. */
    notice: string | null;
  };
  /** Indexed documents that are the draft itself, left out. */
  excluded: string[];
  /** Prior writing ranked over the whole draft (named and quoted documents count in). */
  documents: CheckDocument[];
  paragraphs: CheckParagraph[];
  linksToAdd: LinkToAdd[];
  /** `format: markdown`: the draft with suggested links and footnotes; otherwise null. */
  markdown: string | null;
}

const PASSAGE_CHARS = 500;
/** A draft sentence this similar to prior writing repeats it "nearly word for word" (1 = same words). */
const OVERLAP_THRESHOLD = 0.85;
/** Shorter sentences repeat by chance ("This is the key point."). */
const OVERLAP_MIN_WORDS = 10;
/** Extra keyword searches for self-overlap, one per long sentence; past this the paragraphs' own results serve. */
const MAX_SENTENCE_SEARCHES = 200;
/** Quotes verified per draft (each is a search and a scan of up to 10 documents). */
const MAX_QUOTES = 40;
/** How much a document gains in the draft's ranking for being named / quoted (a top passage of one paragraph adds 1/6). */
const NAMED_WEIGHT = 0.5;
const QUOTED_WEIGHT = 0.5;
/** Related documents suggested as links: those this close to the best, found for several paragraphs. */
const RELATED_LINK_SHARE = 0.5;
const RELATED_LINK_MAX = 3;

function passageOf(hit: SearchHit, lines?: { lineStart: number; lineEnd: number; text: string }): CheckPassage {
  const at = lines ?? hit;
  const shown = displayText(at.text);
  return {
    docId: hit.docId,
    title: hit.title,
    date: hit.date,
    url: hit.url,
    type: hit.type,
    speaker: hit.speaker,
    timestamp: hit.timestamp,
    lineStart: at.lineStart,
    lineEnd: at.lineEnd,
    citation: formatLocation({ docId: hit.docId, lineStart: at.lineStart, lineEnd: at.lineEnd }),
    displayText: shown.length > PASSAGE_CHARS ? `${shown.slice(0, PASSAGE_CHARS - 1)}…` : shown,
    score: Number(hit.score.toFixed(6)),
  };
}

/** The lines of `hit` that `[start, end)` (offsets in its text) covers. */
function subPassage(hit: SearchHit, start: number, end: number): { lineStart: number; lineEnd: number; text: string } {
  const before = hit.text.slice(0, start).split('\n').length - 1;
  const within = hit.text.slice(start, end).split('\n').length - 1;
  return { lineStart: hit.lineStart + before, lineEnd: hit.lineStart + before + within, text: hit.text.slice(start, end) };
}

const VERIFIED = new Set<string>(['verified', 'verified_with_elisions']);

export const checkTool = defineTool({
  name: 'check',
  title: 'Check a draft against the archive',
  description:
    "Checks a draft (text, or a file path on local front ends) paragraph by paragraph against the author's archive: related prior writing with the connecting passages and citations (documents ranked over the whole draft), mentions of the author's own posts, interviews and chapters resolved to documents (links to the author's site that no document has are flagged), quotes verified with their speaker, sentences that repeat earlier writing nearly word for word, and prior posts worth linking with a ready markdown link. `format: markdown` also returns the draft with those links and footnotes.",
  input: checkInput,
  async run(ctx, input): Promise<CheckOutput> {
    const { draft, retriever, excluded, filters, search } = await searchDraftInput(ctx, 'check', input);
    const evidence = rankDocuments(search);
    const byDoc = new Map(evidence.map((e) => [e.docId, e]));
    const checkedEnd = search.skippedFrom ?? draft.text.length;
    const paragraphs = draft.paragraphs.filter((p) => p.start < checkedEnd && p.kind !== 'frontmatter');

    // Per paragraph: its probes' hits, best rank first, one passage per document.
    const hitsOf = new Map<number, SearchHit[]>();
    for (const { probe, hits } of search.probes) hitsOf.set(probe.paragraph, [...(hitsOf.get(probe.paragraph) ?? []), ...hits]);
    const paragraphEvidence = (docId: string, paragraph: number) => {
      const hits = hitsOf.get(paragraph) ?? [];
      const rank = hits.findIndex((h) => h.docId === docId);
      return rank < 0 ? 0 : 1 / (1 + rank);
    };

    const rows = (await retriever.store.listDocuments()).filter(
      (d) => !excluded.includes(d.doc_id) && (input.root === undefined || input.root.includes(d.root)),
    );
    const catalog = buildCatalog(rows);
    const links = findDraftLinks(paragraphs);
    const resolver = await loadLinkResolver(retriever.store);
    const mentions = await findMentions(paragraphs, links, {
      catalog,
      evidence: paragraphEvidence,
      resolveLink: (url) => resolver.resolve(url),
      // "my post on <topic>" that no title fits: the author's posts (the draft left out) are searched for the topic.
      searchPosts: async (query) => (await retriever.search({ query, k: 1, filters: { ...filters, types: ['post'] } }))[0] ?? null,
    });

    const quotes: { paragraph: number; quote: CheckQuote }[] = [];
    for (const q of findDraftQuotes(paragraphs).slice(0, MAX_QUOTES)) {
      // A draft inside an indexed root would otherwise verify its own quotes.
      const result = await verifyQuote(
        ctx,
        { text: q.text.slice(0, TEXT_LIMITS.quote), limit: 1, root: input.root },
        { excludeDocIds: excluded },
      );
      quotes.push({
        paragraph: q.paragraph,
        quote: {
          kind: q.kind,
          start: q.start,
          end: q.end,
          text: q.text,
          verdict: result.verdict,
          result,
          attribution: quoteAttribution(draft.text, q, result),
        },
      });
    }

    const overlaps = await selfOverlaps(
      paragraphs,
      quotes.map((q) => q.quote),
      hitsOf,
      (sentence) => retriever.search({ query: sentence, k: 3, mode: 'bm25', filters }),
    );

    const documents = rankDraftDocuments(evidence, mentions, quotes, paragraphs, input.documents, catalog.docs);
    const linksToAdd = suggestLinks(mentions, documents, byDoc);

    const out: CheckParagraph[] = paragraphs.map((p) => {
      const seen = new Set<string>();
      const related = (hitsOf.get(p.index) ?? [])
        .filter((h) => !seen.has(h.docId) && seen.add(h.docId))
        .slice(0, input.passages)
        .map((h) => passageOf(h));
      return {
        paragraph: p.index + 1,
        kind: p.kind,
        lineStart: p.lineStart,
        lineEnd: p.lineEnd,
        start: p.start,
        end: p.end,
        excerpt: excerpt(p.text),
        related,
        mentions: mentions.filter((m) => m.paragraph === p.index).map((m) => ({ ...m, paragraph: m.paragraph + 1 })),
        quotes: quotes.filter((q) => q.paragraph === p.index).map((q) => q.quote),
        overlaps: overlaps.filter((o) => o.paragraph === p.index).map((o) => o.overlap),
        linksToAdd: linksToAdd.filter((l) => l.paragraph === p.index + 1),
      };
    });

    const notice = search.skippedFrom
      ? `checked the first ${search.probes.length} searches' worth of the draft (up to character ${search.skippedFrom.toLocaleString('en-US')} of ${draft.text.length.toLocaleString('en-US')}); check the rest as its own draft`
      : null;
    const result: CheckOutput = {
      draft: { path: draft.absPath, chars: draft.text.length, paragraphs: paragraphs.length, probes: search.probes.length, notice },
      excluded,
      documents,
      paragraphs: out,
      linksToAdd,
      markdown: null,
    };
    if (input.format === 'markdown') result.markdown = annotateDraft(draft.text, result);
    return result;
  },
  toText(out) {
    return out.markdown ?? checkReport(out);
  },
});

/**
 * The draft's attribution of a verified quote against the interview turn it is found in. Prose is left out:
 * its "speaker" is the post's author, also where the post itself quotes someone else.
 */
function quoteAttribution(draft: string, q: { start: number; end: number }, result: QuoteOutput): QuoteAttribution | null {
  const { speaker, role } = result;
  if (!VERIFIED.has(result.verdict) || speaker === null || (role !== 'host' && role !== 'guest')) return null;
  const drafted = findAttribution(draft, q.start, q.end);
  if (!drafted) return null;
  const others = result.locations[0]?.speakers ?? [];
  return { drafted: drafted.drafted, speaker, role, matches: attributionMatches(drafted, speaker, role, others) };
}

/** `misattributed: the draft credits Ross Taylor, the archive has these words from Nathan Lambert (host)`; null when it fits. */
function misattribution(q: CheckQuote): string | null {
  const a = q.attribution;
  if (!a || a.matches) return null;
  const credited = a.drafted === 'I' || a.drafted.toLowerCase() === 'my' ? 'you' : a.drafted;
  return `misattributed: the draft credits ${credited}, the archive has these words from ${a.speaker} (${a.role})`;
}

async function selfOverlaps(
  paragraphs: readonly { index: number; kind: DraftBlockKind; start: number; text: string }[],
  quotes: readonly CheckQuote[],
  hitsOf: Map<number, SearchHit[]>,
  keywordSearch: (sentence: string) => Promise<SearchHit[]>,
): Promise<{ paragraph: number; overlap: CheckOverlap }[]> {
  const out: { paragraph: number; overlap: CheckOverlap }[] = [];
  let searches = 0;
  for (const p of paragraphs) {
    if (p.kind !== 'paragraph' && p.kind !== 'list') continue;
    for (const [sStart, sEnd] of sentenceRanges(p.text)) {
      const start = p.start + sStart;
      const end = p.start + sEnd;
      // A quotation repeats someone's words on purpose; the quote check covers it.
      if (quotes.some((q) => q.start < end && start < q.end)) continue;
      const sentence = p.text.slice(sStart, sEnd);
      if (letterDigitRuns(sentence).length < OVERLAP_MIN_WORDS) continue;
      const candidates = [...(hitsOf.get(p.index) ?? [])];
      if (searches < MAX_SENTENCE_SEARCHES) {
        searches++;
        candidates.push(...(await keywordSearch(sentence)));
      }
      let best: { hit: SearchHit; score: number } | null = null;
      for (const hit of candidates) {
        const score = findExact(sentence, hit.text).length ? 1 : passageSimilarity(sentence, hit.text);
        if (score >= OVERLAP_THRESHOLD && (!best || score > best.score)) best = { hit, score };
      }
      if (!best) continue;
      const w = bestWindow(sentence, best.hit.text);
      out.push({
        paragraph: p.index,
        overlap: {
          start,
          end,
          sentence,
          similarity: Number(best.score.toFixed(3)),
          where: passageOf(best.hit, subPassage(best.hit, w.start, w.end)),
        },
      });
    }
  }
  return out;
}

function rankDraftDocuments(
  evidence: readonly DocumentEvidence[],
  mentions: readonly Mention[],
  quotes: readonly { paragraph: number; quote: CheckQuote }[],
  paragraphs: readonly { index: number }[],
  limit: number,
  catalog: readonly { docId: string; title: string | null; date: string | null; url: string | null; type: string }[],
): CheckDocument[] {
  const docs = new Map<
    string,
    { score: number; named: boolean; quoted: boolean; linked: boolean; paragraphs: Set<number>; hit: SearchHit | null }
  >();
  const entry = (docId: string) => {
    let d = docs.get(docId);
    if (!d) docs.set(docId, (d = { score: 0, named: false, quoted: false, linked: false, paragraphs: new Set(), hit: null }));
    return d;
  };
  const checked = new Set(paragraphs.map((p) => p.index));
  for (const e of evidence) {
    const d = entry(e.docId);
    d.score += e.score;
    d.hit = e.passages[0]?.hit ?? null;
    for (const p of e.passages.slice(0, 3)) if (checked.has(p.probe.paragraph)) d.paragraphs.add(p.probe.paragraph);
  }
  for (const m of mentions) {
    if (m.docId === null) continue;
    const d = entry(m.docId);
    if (!d.named) d.score += NAMED_WEIGHT;
    d.named = true;
    d.linked ||= m.linked;
    d.paragraphs.add(m.paragraph);
  }
  for (const { paragraph, quote } of quotes) {
    const loc = quote.result.locations[0];
    if (!loc || !VERIFIED.has(quote.verdict)) continue;
    const d = entry(loc.docId);
    if (!d.quoted) d.score += QUOTED_WEIGHT;
    d.quoted = true;
    d.paragraphs.add(paragraph);
  }
  const meta = new Map(catalog.map((c) => [c.docId, c]));
  return [...docs.entries()]
    .sort((a, b) => b[1].score - a[1].score)
    .slice(0, limit)
    .flatMap(([docId, d]) => {
      const m = meta.get(docId);
      const head = m ?? (d.hit && { title: d.hit.title, date: d.hit.date, url: d.hit.url, type: d.hit.type });
      if (!head) return [];
      return [
        {
          docId,
          title: head.title,
          date: head.date,
          url: head.url,
          type: head.type,
          score: Number(d.score.toFixed(6)),
          named: d.named,
          quoted: d.quoted,
          linked: d.linked,
          paragraphs: [...d.paragraphs].sort((a, b) => a - b).map((p) => p + 1),
          passage: d.hit ? passageOf(d.hit) : null,
        },
      ];
    });
}

function suggestLinks(
  mentions: readonly Mention[],
  documents: readonly CheckDocument[],
  evidence: Map<string, DocumentEvidence>,
): LinkToAdd[] {
  const linked = new Set(mentions.filter((m) => m.linked && m.docId !== null).map((m) => m.docId));
  const out: LinkToAdd[] = [];
  for (const m of mentions) {
    if (m.docId === null || m.url === null || m.linked || linked.has(m.docId) || out.some((l) => l.docId === m.docId)) continue;
    out.push({
      paragraph: m.paragraph + 1,
      docId: m.docId,
      title: m.title,
      url: m.url,
      markdown: `[${m.title ?? m.text}](${m.url})`,
      reason: 'named',
      anchor: m.anchor,
    });
  }
  const best = documents[0]?.score ?? 0;
  for (const d of documents) {
    if (out.filter((l) => l.reason === 'related').length >= RELATED_LINK_MAX) break;
    if (d.url === null || d.named || d.quoted || d.linked || linked.has(d.docId) || d.score < best * RELATED_LINK_SHARE) continue;
    const e = evidence.get(d.docId);
    const paragraphs = new Set(e?.passages.map((p) => p.probe.paragraph));
    // One paragraph's passing resemblance is no reason for a link; a post the draft keeps coming back to is.
    if (paragraphs.size < 2) continue;
    const top = e!.passages[0]!;
    out.push({
      paragraph: top.probe.paragraph + 1,
      docId: d.docId,
      title: d.title,
      url: d.url,
      markdown: `[${d.title ?? d.docId}](${d.url})`,
      reason: 'related',
      anchor: null,
    });
  }
  return out;
}

/** Who said it, where: `Eugene Vinitsky (guest) at 00:04:42, Title (date) — docId:lines url`; a markdown link for the draft's footnotes. */
function quoteSource(q: CheckQuote, markdown = false): string {
  const loc = q.result.locations[0];
  if (!loc) return 'nothing in the archive says this';
  const who = speakerLine(loc);
  const title = loc.title ?? loc.docId;
  const work = markdown && loc.url ? `[${title}](${loc.url})` : title;
  return `${who ? `${who}, ` : ''}${work}${loc.date ? ` (${loc.date})` : ''} — ${loc.citation}${loc.url && !markdown ? ` ${loc.url}` : ''}`;
}

const VERDICT_LABEL: Record<string, string> = {
  verified: 'VERIFIED',
  verified_with_elisions: 'VERIFIED WITH ELISIONS',
  close: 'CLOSE',
  paraphrase: 'PARAPHRASE',
  not_found: 'NOT FOUND',
};

/** The terminal report: the ranked documents, then each paragraph that has a finding, then the links to add. */
function checkReport(out: CheckOutput): string {
  const lines: string[] = [];
  const d = out.draft;
  lines.push(
    `Draft${d.path ? ` ${d.path}` : ''}: ${count(d.paragraphs, 'paragraph')}, ${count(d.chars, 'character')}, ${count(d.probes, 'search', 'searches')}`,
  );
  if (d.notice) lines.push(`note: ${d.notice}`);
  if (out.excluded.length) lines.push(`(left out: ${out.excluded.join(', ')} — the draft itself)`);
  lines.push('', out.documents.length ? 'Prior writing this draft draws on:' : 'No related prior writing found.');
  out.documents.forEach((doc, i) => {
    const how = [doc.named ? 'named' : null, doc.quoted ? 'quoted' : null, doc.linked ? 'linked' : null].filter(Boolean).join(', ');
    lines.push(
      ` ${i + 1}. ${doc.title ?? doc.docId}${doc.date ? ` (${doc.date})` : ''}${doc.url ? ` ${doc.url}` : ''}`,
      `    ${how ? `${how}; ` : ''}¶ ${doc.paragraphs.join(', ') || '—'}${doc.passage ? ` · ${doc.passage.citation}` : ''}`,
    );
  });
  for (const p of out.paragraphs) {
    const findings: string[] = [];
    for (const m of p.mentions) {
      if (m.status === 'unknown_link') findings.push(`  ! link to your site that no indexed document has: ${m.text}`);
      else if (m.status === 'unresolved') {
        findings.push(`  ? "${excerpt(m.text, 80)}" names your own work, but no title matched`);
        const s = m.suggestion;
        if (s)
          findings.push(
            `    suggestion (a search of your posts for "${excerpt(s.query, 60)}", not a certain match): ${s.title ?? s.docId}${s.date ? ` (${s.date})` : ''} — ${s.citation}${s.url ? ` ${s.url}` : ''}`,
          );
      } else
        findings.push(
          `  names: ${m.title ?? m.docId} — ${m.docId}${m.url ? ` ${m.url}` : ''}${m.status === 'ambiguous' ? ` (or ${m.alternatives.join(', ')})` : ''}${m.linked ? ' (linked)' : ''}`,
        );
    }
    for (const q of p.quotes) {
      findings.push(`  quote "${excerpt(q.text, 100)}": ${VERDICT_LABEL[q.verdict] ?? q.verdict} — ${quoteSource(q)}`);
      const wrong = misattribution(q);
      if (wrong) findings.push(`  ! ${wrong}`);
    }
    for (const o of p.overlaps) {
      findings.push(
        `  repeats (${o.similarity === 1 ? 'same words' : `similarity ${o.similarity.toFixed(2)}`}): "${excerpt(o.sentence, 100)}"`,
        `    — ${o.where.title ?? o.where.docId} ${o.where.citation}${o.where.url ? ` ${o.where.url}` : ''}`,
      );
    }
    for (const r of p.related) {
      findings.push(
        `  related: ${r.title ?? r.docId}${r.date ? ` (${r.date})` : ''} — ${r.citation}${r.speaker ? ` · ${r.speaker}` : ''}`,
        `    > ${excerpt(r.displayText, 200)}`,
      );
    }
    for (const l of p.linksToAdd) findings.push(`  link to add: ${l.markdown}${l.anchor ? ` at "${excerpt(l.anchor.text, 60)}"` : ''}`);
    if (findings.length === 0) continue;
    lines.push(
      '',
      `¶ ${p.paragraph} (line ${p.lineStart}${p.lineEnd > p.lineStart ? `-${p.lineEnd}` : ''}): ${excerpt(p.excerpt, 90)}`,
      ...findings,
    );
  }
  if (out.linksToAdd.length) {
    lines.push('', 'Links to add:');
    for (const l of out.linksToAdd)
      lines.push(`  ¶ ${l.paragraph}: ${l.markdown} (${l.reason === 'named' ? 'named, not linked' : 'discussed, not linked'})`);
  }
  return lines.join('\n');
}

/**
 * The draft with the check's suggestions: named posts become links, and footnotes give each quote's source
 * and verdict, each repeated sentence's original and each related post. The draft's own text is otherwise
 * unchanged (the caller prints it; no file is written).
 */
function annotateDraft(text: string, out: CheckOutput): string {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: { at: number; end: number; insert: string }[] = [];
  const notes: string[] = [];
  const note = (at: number, body: string) => {
    notes.push(body);
    edits.push({ at, end: at, insert: `[^priors-${notes.length}]` });
  };
  for (const l of out.linksToAdd) {
    if (l.anchor) edits.push({ at: l.anchor.start, end: l.anchor.end, insert: `[${l.anchor.text}](${l.url})` });
  }
  for (const p of out.paragraphs) {
    for (const q of p.quotes) {
      const loc = q.result.locations[0];
      const label = VERDICT_LABEL[q.verdict] ?? q.verdict;
      const wrong = misattribution(q);
      note(
        q.end,
        loc && q.verdict !== 'not_found'
          ? `${label}: ${quoteSource(q, true)}${wrong ? ` — **${wrong}**` : ''}`
          : `${label}: nothing in the archive says this.`,
      );
    }
    for (const o of p.overlaps) {
      const w = o.where;
      note(o.end, `Repeats ${w.url ? `[${w.title ?? w.docId}](${w.url})` : (w.title ?? w.docId)} nearly word for word (${w.citation}).`);
    }
    for (const m of p.mentions) {
      if (m.status === 'unknown_link')
        note(m.end, 'This link points to your own site, but no indexed document has this URL (dead, moved, or not ingested).');
      const s = m.suggestion;
      if (s)
        note(
          m.end,
          `No title of yours matches; a search of your posts suggests ${s.url ? `[${s.title ?? s.docId}](${s.url})` : (s.title ?? s.docId)} (${s.citation}) — check it is the one you mean.`,
        );
    }
    for (const l of p.linksToAdd) {
      if (l.reason === 'related') note(p.end, `Related prior writing: ${l.markdown}.`);
    }
  }
  // Applied from the end so earlier offsets stay valid; a wrap that overlaps another edit is dropped.
  edits.sort((a, b) => b.at - a.at || b.end - a.end);
  let result = text;
  let floor = Infinity;
  for (const e of edits) {
    if (e.end > floor) continue;
    result = result.slice(0, e.at) + e.insert + result.slice(e.end);
    floor = e.at;
  }
  if (notes.length === 0) return result;
  return `${result.replace(/\s+$/, '')}${nl}${nl}${notes.map((n, i) => `[^priors-${i + 1}]: ${n}`).join(nl)}${nl}`;
}
