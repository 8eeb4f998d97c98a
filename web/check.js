// The draft checker panel: paste or upload a draft, and the check tool (POST /api/check) reports what the
// archive already says about it — related prior writing, mentions of the author's own work, quotes verified,
// sentences that repeat earlier writing, and links to add — with the documents ranked over the whole draft.

import { postJson } from './api.js';
import { clear, externalLink, formatDate, h } from './dom.js';

const $ = (sel) => document.querySelector(sel);

/** Drafts above this are refused here, before the upload (the server has its own limit). */
const MAX_DRAFT_BYTES = 1024 * 1024;

const VERDICT_LABELS = {
  verified: 'verified',
  verified_with_elisions: 'verified with elisions',
  close: 'close',
  paraphrase: 'paraphrase',
  not_found: 'not found',
};

function tone(verdict) {
  if (verdict === 'verified' || verdict === 'verified_with_elisions') return 'ok';
  if (verdict === 'not_found') return 'bad';
  return 'warn';
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** A document line: title linking to the original, date, and the reader link for its passage. */
function docLine(d, readLink) {
  const ref = d.citation ?? d.passage?.citation ?? null;
  const lines = d.passage ?? d;
  return h(
    'span',
    { class: 'doc-line' },
    externalLink(d.url, d.title ?? d.docId ?? 'untitled'),
    d.date ? h('span', { class: 'muted' }, ` · ${formatDate(d.date)}`) : null,
    ref ? h('code', { class: 'ref' }, ` ${ref}`) : null,
    d.docId ? [' ', readLink({ docId: d.docId, lineStart: lines.lineStart, lineEnd: lines.lineEnd })] : null,
  );
}

function section(title, items, render) {
  if (!Array.isArray(items) || items.length === 0) return null;
  return h(
    'div',
    { class: 'check-section' },
    h('h4', {}, `${title} (${items.length})`),
    h(
      'ul',
      {},
      items.map((i) => h('li', {}, render(i))),
    ),
  );
}

function quoteItem(q, ctx) {
  const loc = q.location ?? q.locations?.[0] ?? null;
  const who = q.speaker ?? loc?.speaker ?? null;
  const role = q.role ?? loc?.role ?? null;
  const at = q.timestamp ?? loc?.timestamp ?? null;
  return h(
    'div',
    {},
    h('span', { class: `badge ${tone(q.verdict)}` }, VERDICT_LABELS[q.verdict] ?? q.verdict),
    ` “${q.quote ?? q.text ?? ''}”`,
    who ? h('div', { class: 'muted' }, `spoken by ${who}${role ? ` (${role})` : ''}${at ? ` at ${at}` : ''}`) : null,
    loc ? h('div', {}, docLine(loc, ctx.readLink)) : null,
  );
}

function mentionItem(m, ctx) {
  const doc = m.document ?? m.doc ?? (m.docId ? m : null);
  const flag = m.status && m.status !== 'resolved' ? h('span', { class: 'badge bad' }, m.status.replace(/_/g, ' ')) : null;
  return h('div', {}, flag, h('span', {}, ` “${m.text ?? m.mention ?? m.url ?? ''}” `), doc ? docLine(doc, ctx.readLink) : null);
}

function overlapItem(o, ctx) {
  return h(
    'div',
    {},
    h('q', {}, o.sentence ?? o.text ?? ''),
    o.similarity !== undefined ? h('span', { class: 'muted' }, ` · ${Math.round(o.similarity * 100)}% alike`) : null,
    h('div', {}, docLine(o.location ?? o, ctx.readLink)),
  );
}

function linkItem(l, ctx) {
  const markdown = l.markdown ?? l.link ?? null;
  return h('div', {}, docLine(l.document ?? l, ctx.readLink), markdown ? h('div', {}, h('code', { class: 'md-link' }, markdown)) : null);
}

function relatedItem(r, ctx) {
  const p = r.passage ?? r.passages?.[0] ?? null;
  return h('div', {}, docLine(r, ctx.readLink), p ? h('blockquote', { class: 'text small' }, p.displayText ?? p.text ?? '') : null);
}

function paragraphView(p, i, ctx) {
  const parts = [
    section('Related prior writing', p.related, (r) => relatedItem(r, ctx)),
    section('Mentions of your work', p.mentions, (m) => mentionItem(m, ctx)),
    section('Quotes', p.quotes, (q) => quoteItem(q, ctx)),
    section('Repeats earlier writing', p.overlaps ?? p.selfOverlap, (o) => overlapItem(o, ctx)),
    section('Links to add', p.linksToAdd ?? p.links, (l) => linkItem(l, ctx)),
  ].filter(Boolean);
  if (parts.length === 0) return null;
  const text = p.text ?? p.excerpt ?? '';
  return h(
    'article',
    { class: 'doc check-paragraph', tabindex: '-1' },
    h(
      'header',
      {},
      h(
        'h3',
        {},
        `Paragraph ${p.index !== undefined ? p.index + 1 : i + 1}`,
        p.lineStart ? h('span', { class: 'muted' }, ` · line ${p.lineStart}`) : null,
      ),
      h('p', { class: 'excerpt' }, text.length > 220 ? `${text.slice(0, 219)}…` : text),
    ),
    parts,
  );
}

/** Renders the check tool's answer; `ctx.readLink(p)` makes the reader link for a passage. */
export function renderCheck(res, ctx) {
  const docs = res.documents ?? [];
  const paragraphs = (res.paragraphs ?? []).map((p, i) => paragraphView(p, i, ctx)).filter(Boolean);
  return [
    h(
      'p',
      { class: 'summary', role: 'status' },
      `${plural(res.paragraphs?.length ?? 0, 'paragraph')} checked · ${plural(docs.length, 'related document')}`,
    ),
    docs.length
      ? h(
          'section',
          { class: 'check-docs' },
          h('h3', {}, 'Prior writing this draft draws on'),
          h(
            'ol',
            { class: 'sources' },
            docs.map((d) => h('li', {}, relatedItem(d, ctx))),
          ),
        )
      : null,
    paragraphs,
  ];
}

let abort = null;

export async function runCheck(ctx) {
  const text = $('#check-text').value;
  const out = $('#check-result');
  if (!text.trim()) return;
  abort?.abort();
  abort = new AbortController();
  clear(out, h('div', { class: 'busy' }, 'Checking your draft against the archive…'));
  try {
    const res = await postJson('/api/check', { text }, abort.signal);
    clear(out, renderCheck(res, ctx));
  } catch (err) {
    if (err.name === 'AbortError') return;
    const message = err.status === 404 ? 'This server has no draft checker yet (POST /api/check); update priors.' : err.message;
    clear(out, h('div', { class: 'error', role: 'alert' }, message));
  }
}

/** An uploaded .md/.txt file goes into the text box (read here; nothing leaves the page until Check). */
export function initCheck(ctx) {
  $('#check-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runCheck(ctx);
  });
  $('#check-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const note = $('#check-file-note');
    if (file.size > MAX_DRAFT_BYTES) {
      note.textContent = `${file.name} is larger than 1 MB; paste the part to check instead.`;
      return;
    }
    $('#check-text').value = await file.text();
    note.textContent = `Loaded ${file.name} (${plural(file.size, 'byte')}).`;
    runCheck(ctx);
  });
}
