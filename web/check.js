// The draft checker panel: paste or upload a draft, and the check tool (POST /api/check) reports what the
// archive already says about it — prior writing ranked over the whole draft, and per paragraph the related
// passages, mentions of the author's own work, quotes verified with their speaker, sentences that repeat
// earlier writing, and links to add — each place with a reader link and a citation.

import { postJson } from './api.js';
import { copyButton } from './cite.js';
import { clear, differenceText, externalLink, formatDate, h, plural } from './dom.js';

const $ = (sel) => document.querySelector(sel);

/** Drafts above this are refused here, before the upload (the server has its own limit). */
const MAX_DRAFT_BYTES = 1024 * 1024;

const VERDICTS = {
  verified: ['ok', 'verified'],
  verified_with_elisions: ['ok', 'verified with elisions'],
  close: ['warn', 'close'],
  paraphrase: ['warn', 'paraphrase'],
  not_found: ['bad', 'not found'],
};

const MENTIONS = {
  resolved: ['ok', 'found'],
  ambiguous: ['warn', 'ambiguous'],
  unresolved: ['bad', 'no such document'],
  unknown_link: ['bad', 'link to no indexed document'],
};

function badge([tone, label]) {
  return h('span', { class: `badge ${tone}` }, label);
}

/** Title (to the original), date, `docId:lines` and the reader link of a place in the archive. */
function place(p, ctx) {
  return h(
    'span',
    { class: 'place' },
    externalLink(p.url, p.title ?? p.docId),
    p.date ? h('span', { class: 'muted' }, ` · ${formatDate(p.date)}`) : null,
    p.citation ? [' ', h('code', { class: 'ref' }, p.citation)] : null,
    p.docId ? [' ', ctx.readLink(p)] : null,
  );
}

function passage(p, ctx) {
  if (!p) return null;
  const who = p.speaker ? h('div', { class: 'muted' }, `${p.speaker}${p.timestamp ? ` [${p.timestamp}]` : ''}`) : null;
  return h('div', { class: 'check-passage' }, place(p, ctx), who, h('blockquote', { class: 'text small' }, p.displayText));
}

function section(title, items, render) {
  if (!items?.length) return null;
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
  const r = q.result ?? {};
  const best = r.locations?.[0] ?? null;
  const speaker = r.speaker ?? best?.speaker ?? null;
  const role = r.role ?? best?.role ?? null;
  const at = r.timestamp ?? best?.timestamp ?? null;
  const differences = (r.differences ?? []).filter((d) => d.quote || d.source);
  return h(
    'div',
    {},
    badge(VERDICTS[q.verdict] ?? ['warn', q.verdict]),
    h('q', {}, q.text),
    speaker && q.verdict !== 'not_found'
      ? h('div', { class: 'muted' }, `said by ${speaker}${role ? ` (${role})` : ''}${at ? ` at ${at}` : ''}`)
      : null,
    misattributed(q.attribution),
    differences.length ? h('div', { class: 'muted' }, `differs: ${differences.map(differenceText).join('; ')}`) : null,
    best && q.verdict !== 'not_found' ? h('div', {}, place({ ...best, citation: r.citation ?? best.citation }, ctx)) : null,
  );
}

/** The check tool's attribution finding: the draft credits someone other than the archive's speaker. */
function misattributed(a) {
  if (!a || a.matches) return null;
  const credited = a.drafted === 'I' || a.drafted.toLowerCase() === 'my' ? 'you' : a.drafted;
  return h(
    'div',
    { class: 'misattributed' },
    badge(['bad', 'misattributed']),
    ` the draft credits ${credited}, the archive has these words from ${a.speaker} (${a.role})`,
  );
}

function mentionItem(m, ctx) {
  return h(
    'div',
    {},
    badge(MENTIONS[m.status] ?? ['warn', m.status]),
    h('q', {}, m.text),
    m.docId ? [' → ', place(m, ctx)] : m.url ? [' ', h('code', {}, m.url)] : null,
    m.alternatives?.length ? h('div', { class: 'muted' }, `also fits: ${m.alternatives.join(', ')}`) : null,
    m.suggestion ? h('div', { class: 'muted' }, 'perhaps (a search of your posts, not a certain match): ', place(m.suggestion, ctx)) : null,
  );
}

function overlapItem(o, ctx) {
  return h(
    'div',
    {},
    h('q', {}, o.sentence),
    h('span', { class: 'muted' }, o.similarity >= 1 ? ' · the same words as' : ` · ${Math.round(o.similarity * 100)}% alike with`),
    passage(o.where, ctx),
  );
}

/** A ready markdown link with its own copy button (copies the link, not a citation). */
function linkItem(l, ctx) {
  const copy = h('button', { type: 'button', class: 'copy' }, 'Copy link');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(l.markdown);
      copy.textContent = 'Copied ✓';
    } catch {
      copy.textContent = 'Select it';
    }
    setTimeout(() => (copy.textContent = 'Copy link'), 1600);
  });
  return h(
    'div',
    {},
    h('code', { class: 'md-link' }, l.markdown),
    ' ',
    copy,
    h(
      'div',
      { class: 'muted' },
      l.reason === 'named' && l.anchor ? `you name it as “${l.anchor.text}” without a link` : 'the draft discusses what it says',
      ' · ',
      ctx.readLink(l),
    ),
  );
}

function documentItem(d, ctx) {
  const flags = [d.named ? 'named' : null, d.quoted ? 'quoted' : null, d.linked ? 'linked' : null].filter(Boolean);
  const p = d.passage;
  return h(
    'li',
    { class: 'check-doc' },
    h(
      'div',
      {},
      externalLink(d.url, d.title ?? d.docId),
      d.date ? h('span', { class: 'muted' }, ` · ${formatDate(d.date)}`) : null,
      d.type ? h('span', { class: 'type' }, ` ${d.type}`) : null,
      flags.flatMap((f) => [' ', h('span', { class: 'badge ok' }, f)]),
      d.paragraphs?.length ? h('span', { class: 'muted' }, ` · ¶ ${d.paragraphs.join(', ')}`) : null,
    ),
    p
      ? h(
          'div',
          { class: 'passage' },
          h('blockquote', { class: 'text small' }, p.displayText),
          h(
            'div',
            { class: 'actions' },
            h('code', { class: 'ref' }, p.citation),
            ctx.readLink(p),
            copyButton({ docId: p.docId, lineStart: p.lineStart, lineEnd: p.lineEnd }),
          ),
        )
      : null,
  );
}

function paragraphView(p, ctx) {
  const parts = [
    section('Quotes', p.quotes, (q) => quoteItem(q, ctx)),
    section('Mentions of your work', p.mentions, (m) => mentionItem(m, ctx)),
    section('Repeats earlier writing', p.overlaps, (o) => overlapItem(o, ctx)),
    section('Links to add', p.linksToAdd, (l) => linkItem(l, ctx)),
    section('Related prior writing', p.related, (r) => passage(r, ctx)),
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return h(
    'article',
    { class: 'doc check-paragraph', id: `check-p${p.paragraph}` },
    h(
      'header',
      {},
      h(
        'h3',
        {},
        `¶ ${p.paragraph}`,
        h('span', { class: 'muted' }, ` · line${p.lineEnd > p.lineStart ? `s ${p.lineStart}–${p.lineEnd}` : ` ${p.lineStart}`}`),
      ),
      h('p', { class: 'excerpt' }, p.excerpt),
    ),
    parts,
  );
}

/** The check tool's answer as the panel shows it; `ctx.readLink(p)` makes a passage's reader link. */
export function renderCheck(res, ctx) {
  const docs = res.documents ?? [];
  const links = res.linksToAdd ?? [];
  const quotes = (res.paragraphs ?? []).flatMap((p) => p.quotes ?? []);
  const verified = quotes.filter((q) => q.verdict === 'verified' || q.verdict === 'verified_with_elisions').length;
  return [
    h(
      'p',
      { class: 'summary', role: 'status' },
      [
        `${plural(res.draft?.paragraphs ?? res.paragraphs?.length ?? 0, 'paragraph')} checked`,
        plural(docs.length, 'related document'),
        quotes.length ? `${verified} of ${plural(quotes.length, 'quote')} verified` : null,
        plural(links.length, 'link') + ' to add',
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    res.draft?.notice ? h('p', { class: 'note' }, res.draft.notice) : null,
    docs.length
      ? h(
          'section',
          { class: 'check-docs' },
          h('h3', {}, 'Prior writing this draft draws on'),
          h(
            'ol',
            { class: 'check-doc-list' },
            docs.map((d) => documentItem(d, ctx)),
          ),
        )
      : null,
    (res.paragraphs ?? []).map((p) => paragraphView(p, ctx)),
    res.markdown
      ? h(
          'section',
          { class: 'check-markdown' },
          h('h3', {}, 'Your draft with the suggested links'),
          h('p', { class: 'muted' }, 'Nothing was changed in your file; copy what you want from here.'),
          h('pre', { class: 'draft-md', tabindex: '0' }, res.markdown),
        )
      : null,
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
    const format = $('#check-markdown').checked ? 'markdown' : 'report';
    const res = await postJson('/api/check', { text, format }, abort.signal);
    clear(out, renderCheck(res, ctx));
  } catch (err) {
    if (err.name === 'AbortError') return;
    clear(out, h('div', { class: 'error', role: 'alert' }, err.message));
  }
}

/** An opened .md/.txt file goes into the text box (read here; nothing leaves the page until it is checked). */
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
