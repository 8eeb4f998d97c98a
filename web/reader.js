// The document reader: a whole document rendered from its markdown, every block anchored to its file lines,
// the passage it was opened for highlighted and scrolled to, with prev/next between the passages a query
// found in it. Its address is `#doc=<docId>&lines=10-14&q=<query>`, so a passage can be bookmarked or shared.
// The text comes from the get tool's route (GET /api/documents/:docId), page by page as the tool bounds it.

import { getJson } from './api.js';
import { copyButton, matchedSentences, selectionIn } from './cite.js';
import { clear, externalLink, formatDate, h } from './dom.js';

const $ = (sel) => document.querySelector(sel);

/** The get tool returns at most this much per call; a document is read in as many calls as it needs. */
const PAGE_CHARS = 20000;
/** A document longer than this many pages is shown up to there, with a note (400k characters). */
const MAX_PAGES = 20;

const reader = {
  docId: null,
  doc: null,
  passages: [],
  /** Query words the search marked, marked again in the highlighted blocks. */
  words: [],
  current: -1,
  abort: null,
};

/** `#doc=…&lines=…&q=…` → route, or null when the fragment is not a reader address. */
export function parseRoute(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const docId = params.get('doc');
  if (!docId) return null;
  const m = /^(\d+)(?:-(\d+))?$/.exec(params.get('lines') ?? '');
  const lines = m ? { lineStart: Number(m[1]), lineEnd: Number(m[2] ?? m[1]) } : null;
  return { docId, lines, q: params.get('q') ?? '' };
}

/** The reader's address for a passage (`lines` optional). */
export function readerHref({ docId, lineStart, lineEnd, q }) {
  const params = new URLSearchParams({ doc: docId });
  if (lineStart) params.set('lines', lineEnd && lineEnd !== lineStart ? `${lineStart}-${lineEnd}` : String(lineStart));
  if (q) params.set('q', q);
  return `#${params}`;
}

/** A "Read in context" link for a passage. */
export function readLink(p, q) {
  return h('a', { class: 'read', href: readerHref({ ...p, q }), title: 'Open the document at this passage (o)' }, 'Read in context');
}

async function loadDocument(docId, signal) {
  const path = `/api/documents/${encodeURIComponent(docId)}`;
  let out = await getJson(path, { maxChars: PAGE_CHARS }, signal);
  const doc = { ...out, turns: [...(out.turns ?? [])], partial: false };
  for (let page = 1; out.nextLine && page < MAX_PAGES; page++) {
    out = await getJson(path, { lineStart: out.nextLine, maxChars: PAGE_CHARS }, signal);
    doc.text += `\n${out.text}`;
    doc.lineEnd = out.lineEnd;
    doc.turns.push(...(out.turns ?? []));
  }
  doc.partial = out.nextLine !== null && out.nextLine !== undefined;
  return doc;
}

/**
 * The query's passages in this document (search restricted to it), in reading order, each with the sentence(s)
 * its copy button cites; and the words the search marked in them, to mark in the text.
 */
async function findPassages(docId, q, signal) {
  if (!q) return { passages: [], words: [] };
  try {
    const res = await getJson('/api/search', { query: q, path: docId, k: 30 }, signal);
    const seen = new Set();
    const words = new Set();
    const passages = [];
    for (const r of res.results) {
      const key = `${r.lineStart}-${r.lineEnd}`;
      if (r.docId !== docId || seen.has(key)) continue;
      seen.add(key);
      const shown = r.displayText ?? r.text;
      for (const [a, b] of r.highlights ?? []) words.add(shown.slice(a, b).toLowerCase());
      passages.push({ lineStart: r.lineStart, lineEnd: r.lineEnd, quote: matchedSentences(shown, r.highlights) });
    }
    passages.sort((a, b) => a.lineStart - b.lineStart || a.lineEnd - b.lineEnd);
    return { passages, words: [...words] };
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return { passages: [], words: [] };
  }
}

/** Wraps whole-word occurrences of `words` in the text of `blocks` in <mark>. */
function markWords(blocks, words) {
  if (!words.length) return;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  for (const block of blocks) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    for (const node of nodes) {
      const text = node.textContent ?? '';
      re.lastIndex = 0;
      if (!re.test(text)) continue;
      re.lastIndex = 0;
      const frag = document.createDocumentFragment();
      let at = 0;
      for (const m of text.matchAll(re)) {
        frag.append(text.slice(at, m.index), h('mark', {}, m[0]));
        at = m.index + m[0].length;
      }
      frag.append(text.slice(at));
      node.replaceWith(frag);
    }
  }
}

function header(doc) {
  const people = (doc.people ?? []).map((p) => `${p.name}${p.role ? ` (${p.role})` : ''}`).join(', ');
  return h(
    'header',
    { class: 'reader-head' },
    h('h2', { id: 'reader-title', tabindex: '-1' }, doc.title ?? doc.docId),
    doc.subtitle ? h('p', { class: 'subtitle' }, doc.subtitle) : null,
    h(
      'div',
      { class: 'meta' },
      doc.date ? h('time', { datetime: doc.date }, formatDate(doc.date)) : h('span', {}, 'undated'),
      doc.type ? h('span', { class: 'type' }, doc.type) : null,
      doc.container ? h('span', {}, doc.container) : null,
      people ? h('span', { class: 'people' }, `Speakers: ${people}`) : null,
      h('code', { class: 'ref' }, doc.docId),
      doc.url ? externalLink(doc.url, 'Original ↗') : null,
    ),
    doc.stale ? h('p', { class: 'note' }, 'This file changed since it was indexed; run ingest before trusting line numbers.') : null,
    linksView(doc),
  );
}

/**
 * The archive's links around this document (from the get tool): documents it links to (jump to the line here),
 * documents linking to it (open them at their link), and links to the author's own URLs that lead nowhere.
 */
function linksView(doc) {
  const to = doc.linksTo ?? [];
  const from = doc.linkedFrom ?? [];
  const dead = doc.deadLinks ?? [];
  if (!to.length && !from.length && !dead.length) return null;
  const item = (l, target) =>
    h(
      'li',
      {},
      h('a', { href: readerHref(target) }, l.title ?? l.docId),
      l.date ? h('span', { class: 'muted' }, ` · ${formatDate(l.date)}`) : null,
    );
  const list = (title, items) =>
    items.length ? h('details', { class: 'links' }, h('summary', {}, `${title} (${items.length})`), h('ul', {}, items)) : null;
  return h(
    'div',
    { class: 'doc-links' },
    list(
      'Links to',
      to.map((l) => item(l, { docId: doc.docId, lineStart: l.lines[0] })),
    ),
    list(
      'Linked from',
      from.map((l) => item(l, { docId: l.docId, lineStart: l.lines[0] })),
    ),
    list(
      'Links that lead to no document',
      dead.map((d) =>
        h(
          'li',
          {},
          h('a', { href: readerHref({ docId: doc.docId, lineStart: d.line }) }, d.text ?? d.url),
          h('code', { class: 'ref' }, ` ${d.url}`),
        ),
      ),
    ),
  );
}

function blocksFor(range) {
  if (!range) return [];
  const hit = [...document.querySelectorAll('#reader-body [data-ls]')].filter(
    (b) => Number(b.dataset.ls) <= range.lineEnd && Number(b.dataset.le) >= range.lineStart,
  );
  // Innermost blocks only: a list item inside a highlighted list, not the list around it.
  return hit.filter((b) => !hit.some((o) => o !== b && b.contains(o)));
}

/** Highlights `range`, scrolls to it and updates the address and the prev/next buttons. */
function showPassage(range, { focus = true, updateUrl = true } = {}) {
  for (const el of document.querySelectorAll('#reader-body .hit')) el.classList.remove('hit');
  const blocks = blocksFor(range);
  for (const b of blocks) b.classList.add('hit');
  markWords(
    blocks.filter((b) => !b.querySelector('mark')),
    reader.words,
  );
  const first = blocks[0];
  if (first) {
    first.tabIndex = -1;
    first.scrollIntoView({ block: 'center' });
    if (focus) first.focus({ preventScroll: true });
  }
  const n = reader.passages.length;
  $('#reader-prev').disabled = reader.current <= 0;
  $('#reader-next').disabled = reader.current < 0 || reader.current >= n - 1;
  $('#reader-pos').textContent =
    n > 0 && reader.current >= 0 ? `passage ${reader.current + 1} of ${n}` : range ? `lines ${range.lineStart}–${range.lineEnd}` : '';
  if (updateUrl && range) {
    const route = parseRoute();
    history.replaceState(null, '', `${location.pathname}${location.search}${readerHref({ docId: reader.docId, ...range, q: route?.q })}`);
  }
}

/** Moves to the previous (-1) or next (+1) passage of the query in this document. */
export function stepPassage(step) {
  const i = reader.current + step;
  if (i < 0 || i >= reader.passages.length) return;
  reader.current = i;
  showPassage(reader.passages[i]);
}

function currentRange() {
  return reader.passages[reader.current] ?? parseRoute()?.lines ?? null;
}

/** What the reader's copy button cites: the selection, else the passage's matched sentence(s), else its lines. */
function citeTarget() {
  const range = currentRange();
  const quote = selectionIn($('#reader-body')) ?? range?.quote ?? null;
  return { docId: reader.docId, lineStart: range?.lineStart, lineEnd: range?.lineEnd, quote };
}

/** Opens (or re-targets) the reader for the current `#doc=` address. */
export async function openReader(route) {
  const out = $('#reader-body');
  const panel = $('#panel-reader');
  panel.hidden = false;
  if (reader.docId === route.docId && reader.doc) {
    const i = route.lines ? reader.passages.findIndex((p) => p.lineStart === route.lines.lineStart) : -1;
    reader.current = i;
    showPassage(route.lines, { updateUrl: false });
    return;
  }
  reader.abort?.abort();
  const abort = (reader.abort = new AbortController());
  reader.docId = route.docId;
  reader.doc = null;
  clear($('#reader-head'));
  clear(out, h('div', { class: 'busy' }, 'Opening the document…'));
  try {
    const [doc, found] = await Promise.all([loadDocument(route.docId, abort.signal), findPassages(route.docId, route.q, abort.signal)]);
    const { passages } = found;
    // The passage the reader was opened for is one of the stops, even when the query's search missed it.
    if (route.lines && !passages.some((p) => p.lineStart === route.lines.lineStart && p.lineEnd === route.lines.lineEnd)) {
      passages.push(route.lines);
      passages.sort((a, b) => a.lineStart - b.lineStart || a.lineEnd - b.lineEnd);
    }
    reader.doc = doc;
    reader.passages = passages;
    reader.words = found.words;
    reader.current = route.lines
      ? passages.findIndex((p) => p.lineStart === route.lines.lineStart && p.lineEnd === route.lines.lineEnd)
      : -1;
    clear($('#reader-head'), header(doc));
    const { renderDocument } = await import('./markdown.js');
    clear(
      out,
      renderDocument(doc.text, doc.lineStart, { turns: doc.turns, people: doc.people, oneLine: /\.jsonl$/i.test(doc.path ?? '') }),
      doc.partial ? h('p', { class: 'note' }, `The document continues past line ${doc.lineEnd}; this view shows it up to there.`) : null,
    );
    document.title = `${doc.title ?? doc.docId} — priors`;
    if (route.lines) showPassage(route.lines, { updateUrl: false });
    else {
      showPassage(null, { updateUrl: false });
      $('#reader-title').focus();
    }
  } catch (err) {
    if (err.name === 'AbortError') return;
    reader.docId = null;
    clear(out, h('div', { class: 'error', role: 'alert' }, err.message));
  }
}

export function isReaderOpen() {
  return !$('#panel-reader').hidden;
}

export function closeReader() {
  $('#panel-reader').hidden = true;
}

export function initReader(onClose) {
  $('#reader-prev').addEventListener('click', () => stepPassage(-1));
  $('#reader-next').addEventListener('click', () => stepPassage(1));
  $('#reader-back').addEventListener('click', onClose);
  $('#reader-copy').replaceWith(Object.assign(copyButton(citeTarget), { id: 'reader-copy' }));
}
