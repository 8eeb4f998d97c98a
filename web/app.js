import { adoptTokenFromHash, getJson, onUnauthorized, postJson, postStream, setToken } from './api.js';
import { initCheck } from './check.js';
import { copyButton, initFormat, matchedSentences, selectionIn, sharedWordSpans } from './cite.js';
import { clear, differenceText, externalLink, formatDate, h, highlighted, plural } from './dom.js';
import { closeReader, initReader, isReaderOpen, openReader, parseRoute, readLink, stepPassage } from './reader.js';
import { runTimeline } from './timeline.js';

const $ = (sel) => document.querySelector(sel);

const state = {
  searchAbort: null,
  askAbort: null,
};

// ---------------------------------------------------------------- tabs

const TABS = ['search', 'ask', 'quote', 'related', 'timeline', 'check'];

function showTab(name, focus = true) {
  if (isReaderOpen()) leaveReader(false);
  for (const t of TABS) {
    const tab = $(`#tab-${t}`);
    const selected = t === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`#panel-${t}`).hidden = !selected;
  }
  if (focus) $(`#panel-${name} [data-primary]`)?.focus();
}

function currentTab() {
  return TABS.find((t) => !$(`#panel-${t}`).hidden) ?? state.lastTab ?? 'search';
}

function initTabs() {
  const list = $('[role="tablist"]');
  for (const t of TABS) $(`#tab-${t}`).addEventListener('click', () => showTab(t));
  // Arrow keys move between tabs (the usual tablist pattern); Home/End jump to the ends.
  list.addEventListener('keydown', (e) => {
    const i = TABS.indexOf(currentTab());
    let next = null;
    if (e.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
    else if (e.key === 'ArrowLeft') next = TABS[(i - 1 + TABS.length) % TABS.length];
    else if (e.key === 'Home') next = TABS[0];
    else if (e.key === 'End') next = TABS[TABS.length - 1];
    if (!next) return;
    e.preventDefault();
    showTab(next, false);
    $(`#tab-${next}`).focus();
  });
}

// ---------------------------------------------------------------- shared rendering

function who(p) {
  if (!p.speaker) return null;
  const others = (p.speakers ?? []).filter((s) => s !== p.speaker);
  const role = p.role ? ` (${p.role})` : '';
  return `${p.speaker}${role}${p.timestamp ? ` [${p.timestamp}]` : ''}${others.length ? ` with ${others.join(', ')}` : ''}`;
}

/**
 * One verbatim passage with its place in the file, the reader link and the copy button. The copy cites the
 * text selected in the passage, else `p.quote` (a verified quote), else the sentence(s) the query matched.
 */
function passageView(p, { note, q } = {}) {
  const context = [p.section ? `§ ${p.section}` : null, who(p)].filter(Boolean).join(' · ');
  // Clean text for reading (highlights are computed on it); the citation quotes the file verbatim.
  const shown = p.displayText ?? p.text;
  const text = h('blockquote', { class: 'text' }, highlighted(shown, p.highlights));
  const target = () => ({ ...p, quote: selectionIn(text) ?? p.quote ?? matchedSentences(shown, p.highlights) });
  const el = h(
    'div',
    { class: 'passage', tabindex: '-1' },
    context ? h('div', { class: 'context' }, context) : null,
    text,
    note ? h('div', { class: 'note' }, note) : null,
    h(
      'div',
      { class: 'actions' },
      h('code', { class: 'ref', title: 'document id and lines' }, p.citation),
      p.docId ? readLink(p, q) : null,
      copyButton(target),
    ),
  );
  requestAnimationFrame(() => {
    if (text.scrollHeight > text.clientHeight + 4) {
      const more = h('button', { type: 'button', class: 'more' }, 'Show all');
      more.addEventListener('click', () => {
        const open = text.classList.toggle('open');
        more.textContent = open ? 'Show less' : 'Show all';
      });
      text.after(more);
    }
  });
  return el;
}

/** A document header: title linking to the original, date, type (the path is in each passage's citation). */
function docHeader(d) {
  const title = d.title ?? d.docId;
  return h(
    'header',
    {},
    h('h3', {}, externalLink(d.url, title, d.url ? h('span', { class: 'ext', 'aria-hidden': 'true' }, ' ↗') : null)),
    h(
      'div',
      { class: 'meta' },
      d.date ? h('time', { datetime: d.date }, formatDate(d.date)) : h('span', {}, 'undated'),
      d.type ? h('span', { class: 'type' }, d.type) : null,
      d.book ? h('span', { class: 'book' }, d.book) : null,
    ),
  );
}

function docCard(d, passages, opts) {
  return h(
    'article',
    { class: 'doc' },
    docHeader(d),
    passages.map((p) => passageView(p, opts?.(p))),
  );
}

/** A timeline entry: its document header and best passage, with the reader link for the topic. */
function timelineEntry(e, topic) {
  const note = e.roundup ? 'a roundup or digest: shown because its year has nothing else on this' : undefined;
  return h('article', { class: 'doc' }, docHeader({ ...e.passage, ...e }), passageView(e.passage, { q: topic, note }));
}

function showError(el, err) {
  if (err.name === 'AbortError') return;
  clear(el, h('div', { class: 'error', role: 'alert' }, err.message));
}

function busy(el, text) {
  clear(el, h('div', { class: 'busy' }, text));
}

// ---------------------------------------------------------------- search

function searchParams() {
  return {
    query: $('#q').value.trim(),
    since: $('#since').value.trim(),
    until: $('#until').value.trim(),
    type: $('#type').value,
    tag: $('#tag').value.trim(),
  };
}

function syncUrl(p) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ q: p.query, since: p.since, until: p.until, type: p.type, tag: p.tag })) if (v) q.set(k, v);
  const next = q.toString() ? `?${q}` : location.pathname;
  if (next !== location.search) history.replaceState(null, '', next);
}

/** Passages arrive ranked with group=document: keep that order, grouped under their document. */
function groupHits(results) {
  const docs = new Map();
  for (const r of results) {
    if (!docs.has(r.docId)) docs.set(r.docId, { doc: r, passages: [] });
    docs.get(r.docId).passages.push(r);
  }
  return [...docs.values()];
}

async function runSearch() {
  const p = searchParams();
  const out = $('#results');
  const summary = $('#search-summary');
  if (!p.query) {
    clear(out);
    summary.textContent = '';
    return;
  }
  syncUrl(p);
  state.searchAbort?.abort();
  const abort = (state.searchAbort = new AbortController());
  summary.textContent = 'Searching…';
  try {
    const res = await getJson('/api/search', { ...p, k: 24, group: 'document', perDoc: 3 }, abort.signal);
    const groups = groupHits(res.results);
    summary.textContent =
      res.results.length === 0
        ? (res.note ?? `Nothing found for “${res.query}”. Try other words or loosen the filters.`)
        : `${plural(res.results.length, 'passage')} in ${plural(groups.length, 'document')} · ${res.mode} search`;
    clear(
      out,
      groups.map((g) =>
        h(
          'li',
          {},
          docCard(g.doc, g.passages, () => ({ q: p.query })),
        ),
      ),
    );
  } catch (err) {
    summary.textContent = '';
    showError(out, err);
  }
}

function initSearch() {
  const params = new URLSearchParams(location.search);
  $('#q').value = params.get('q') ?? '';
  $('#since').value = params.get('since') ?? '';
  $('#until').value = params.get('until') ?? '';
  $('#tag').value = params.get('tag') ?? '';
  $('#type').dataset.initial = params.get('type') ?? '';
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSearch();
  });
  for (const id of ['#type']) $(id).addEventListener('change', () => $('#q').value.trim() && runSearch());
  $('#clear-filters').addEventListener('click', () => {
    for (const id of ['#since', '#until', '#tag']) $(id).value = '';
    $('#type').value = '';
    if ($('#q').value.trim()) runSearch();
  });
  if ($('#q').value) runSearch();
}

// ---------------------------------------------------------------- verify quote

const VERDICTS = {
  verified: ['ok', 'Verified — found verbatim'],
  verified_with_elisions: ['ok', 'Verified with elisions — every fragment is verbatim, in order'],
  close: ['warn', 'Close — a few words differ from the archive'],
  paraphrase: ['warn', 'Not verbatim — the closest passages in the archive'],
  not_found: ['bad', 'Not found — nothing in the archive says this'],
};

/**
 * What a location's copy button cites: a verified quote is cited as the quote itself (its sentence(s)); any
 * other verdict as the archive's own words at that place, widened to whole sentences by the cite tool.
 */
function quoteTarget(verdict, text, l) {
  if (verdict === 'verified') return { ...l, quote: text };
  // Elided fragments are not one string of the file: cite the lines from the first fragment to the last.
  const frags = l.fragments ?? [];
  if (verdict === 'verified_with_elisions' && frags.length)
    return { ...l, lineStart: frags[0].lineStart, lineEnd: frags.at(-1).lineEnd, quote: null };
  return { ...l, quote: l.text };
}

/** Under a location: each elided fragment's lines, the differing words of a close quote, or the similarity. */
function quoteNote(verdict, l) {
  if (verdict === 'verified') return undefined;
  if (verdict === 'verified_with_elisions') {
    return (l.fragments ?? []).map((f) => `“${f.quote}” at ${f.citation}${f.speaker ? ` (${f.speaker})` : ''}`).join(' … ');
  }
  const diffs = (l.differences ?? []).filter((d) => d.quote || d.source);
  const words = diffs.map(differenceText).join('; ');
  return [`similarity ${l.similarity.toFixed(2)}`, words].filter(Boolean).join(' · ');
}

async function runQuote() {
  const text = $('#quote-text').value.trim();
  const out = $('#quote-result');
  if (!text) return;
  busy(out, 'Checking…');
  try {
    const res = await postJson('/api/quote', { text, limit: 3 });
    const [tone, label] = VERDICTS[res.verdict] ?? ['warn', res.verdict];
    const locations = res.verdict === 'not_found' ? [] : res.locations;
    // Who said it: the verdict names the speaker (author, host or guest) and the turn's timestamp.
    const speaker = res.verdict === 'not_found' ? null : (res.speaker ?? locations[0]?.speaker ?? null);
    const role = res.role ?? locations[0]?.role ?? null;
    const at = res.timestamp ?? locations[0]?.timestamp ?? null;
    const said = speaker ? ` — said by ${speaker}${role ? ` (${role})` : ''}${at ? ` at ${at}` : ''}` : '';
    clear(
      out,
      h('div', { class: `verdict ${tone}`, role: 'status' }, label, h('span', { class: 'said' }, said)),
      locations.map((l) =>
        h('article', { class: 'doc' }, docHeader(l), passageView(quoteTarget(res.verdict, text, l), { note: quoteNote(res.verdict, l) })),
      ),
    );
  } catch (err) {
    showError(out, err);
  }
}

// ---------------------------------------------------------------- related to a draft

async function runRelated() {
  const text = $('#draft-text').value.trim();
  const out = $('#related-result');
  if (!text) return;
  busy(out, 'Reading your draft…');
  try {
    const res = await postJson('/api/related', { text, documents: 8, passages: 2 });
    if (res.documents.length === 0) return clear(out, h('p', { class: 'summary' }, 'No related prior writing found.'));
    clear(
      out,
      h('p', { class: 'summary' }, plural(res.documents.length, 'related document')),
      // Copy cites the passage's sentence sharing most words with the draft excerpt it was found for.
      res.documents.map((d) =>
        docCard(
          d,
          d.passages.map((p) => ({
            ...p,
            quote: matchedSentences(p.displayText ?? p.text, sharedWordSpans(p.displayText ?? p.text, p.draftExcerpt ?? '')),
          })),
          (p) => ({ note: `re: “${p.draftExcerpt}”` }),
        ),
      ),
    );
  } catch (err) {
    showError(out, err);
  }
}

// ---------------------------------------------------------------- ask (streamed)

function renderOfflineAnswer(result) {
  if (result.documents.length === 0)
    return h('p', { class: 'summary' }, result.note ?? `Nothing in the archive matches “${result.question}”.`);
  return h(
    'div',
    {},
    h('p', { class: 'summary' }, `${result.documents.length} documents on this, best first`),
    result.documents.map((d) => docCard(d, d.passages)),
  );
}

function sourceItem(s) {
  return h(
    'li',
    {},
    h('span', { class: 'n' }, `[${s.n}]`),
    h(
      'div',
      {},
      h('div', {}, externalLink(s.url, s.title ?? s.docId), s.date ? h('span', { class: 'muted' }, ` · ${formatDate(s.date)}`) : null),
      h('div', { class: 'actions' }, h('code', { class: 'ref' }, s.citation), copyButton(parseRef(s))),
    ),
  );
}

/** `path:12-18` from a source's citation back into a range for /api/cite. */
function parseRef(s) {
  const m = /:(\d+)(?:-(\d+))?$/.exec(s.citation ?? '');
  return m ? { docId: s.docId, lineStart: Number(m[1]), lineEnd: Number(m[2] ?? m[1]) } : { docId: s.docId };
}

async function runAsk() {
  const question = $('#ask-q').value.trim();
  if (!question) return;
  state.askAbort?.abort();
  const abort = (state.askAbort = new AbortController());
  const steps = clear($('#ask-steps'));
  const answer = clear($('#ask-answer'));
  const sources = clear($('#ask-sources'));
  const status = $('#ask-status');
  status.textContent = 'Thinking…';
  const calls = new Map();
  let mode = 'offline';
  try {
    await postStream(
      '/api/ask',
      { question },
      (event, data) => {
        switch (event) {
          case 'start':
            mode = data.mode;
            status.textContent =
              data.mode === 'llm' ? 'Searching your archive…' : 'No LLM configured — showing your prior writing on this.';
            break;
          case 'tool_call': {
            const li = h('li', { class: 'step' }, h('code', {}, data.name), ' ', describeArgs(data.arguments));
            calls.set(data.id, li);
            steps.append(li);
            break;
          }
          case 'tool_result':
            calls.get(data.id)?.append(h('span', { class: data.ok ? 'muted' : 'bad' }, ` — ${data.summary}`));
            break;
          case 'token':
            status.textContent = 'Writing…';
            answer.append(data.text);
            break;
          case 'sources':
            clear(
              sources,
              data.sources.length ? h('h3', {}, 'Sources') : null,
              h('ol', { class: 'sources' }, data.sources.map(sourceItem)),
              data.quotes.length ? h('h3', {}, 'Quotations checked against the archive') : null,
              data.quotes.length
                ? h(
                    'ul',
                    { class: 'quotes' },
                    data.quotes.map((q) =>
                      h(
                        'li',
                        { class: q.verified ? 'ok' : 'bad' },
                        h('span', { class: 'badge' }, q.verified ? 'verified' : 'not found verbatim'),
                        ` “${q.quote}”`,
                        q.citation ? h('code', { class: 'ref' }, ` ${q.citation}`) : null,
                      ),
                    ),
                  )
                : null,
            );
            break;
          case 'result':
            answer.append(renderOfflineAnswer(data.result));
            break;
          case 'error':
            status.textContent = '';
            showError(sources, new Error(data.message));
            break;
          case 'done':
            if (mode === 'llm') status.textContent = '';
            break;
        }
      },
      abort.signal,
    );
  } catch (err) {
    status.textContent = '';
    showError(sources, err);
  }
}

function describeArgs(args) {
  if (!args || typeof args !== 'object') return '';
  const main = args.query ?? args.topic ?? args.text ?? args.docId ?? args.question;
  return typeof main === 'string' ? `“${main.length > 80 ? `${main.slice(0, 79)}…` : main}”` : '';
}

// ---------------------------------------------------------------- status, token, keys

async function loadStatus() {
  const status = $('#status');
  try {
    const health = await getJson('/api/health');
    $('#tab-ask').textContent = health.llm ? 'Ask' : 'Ask (offline)';
    if (!health.index.ready) {
      status.textContent = 'no index yet';
      clear($('#results'), h('div', { class: 'error', role: 'alert' }, health.index.error));
      return;
    }
    status.textContent = `${health.index.documents} documents · ${health.index.search} search${health.llm ? ' · LLM on' : ''}`;
    const stats = await getJson('/api/stats');
    const type = $('#type');
    for (const t of Object.keys(stats.byType).sort()) {
      type.append(h('option', { value: t }, `${t} (${stats.byType[t]})`));
      $('#tl-type').append(h('option', { value: t }, `${t} (${stats.byType[t]})`));
    }
    type.value = type.dataset.initial ?? '';
    const { roots } = await getJson('/api/roots');
    for (const r of roots) $('#tl-root').append(h('option', { value: r.name }, `${r.name} (${r.documents})`));
    const tags = Object.entries(stats.byTag ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    clear(
      $('#tags'),
      tags.map(([t]) => h('option', { value: t })),
    );
  } catch (err) {
    status.textContent = err.status === 401 ? 'token needed' : 'server unreachable';
  }
}

function initToken() {
  adoptTokenFromHash();
  const dialog = $('#token-dialog');
  onUnauthorized(() => {
    if (!dialog.open) dialog.showModal();
  });
  $('#token-form').addEventListener('submit', () => {
    setToken($('#token-input').value.trim());
    loadStatus();
    if ($('#q').value.trim()) runSearch();
  });
}

function isTyping(e) {
  const t = e.target;
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

/** Focus the next/previous passage (j/k), so results can be read and cited without the mouse. */
function movePassage(step) {
  if (isReaderOpen()) return stepPassage(step);
  const all = [...document.querySelectorAll(`#panel-${currentTab()} .passage`)];
  if (all.length === 0) return;
  const i = all.indexOf(document.activeElement?.closest('.passage'));
  const next = all[Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + step))];
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}

function initKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('#copied').hidden) {
      $('#copied').hidden = true;
      return;
    }
    if (e.key === 'Escape' && isReaderOpen() && !isTyping(e)) {
      leaveReader();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && e.target instanceof HTMLTextAreaElement) {
      e.preventDefault();
      e.target.form?.requestSubmit();
      return;
    }
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '/') {
      e.preventDefault();
      $(`#panel-${currentTab()} [data-primary]`)?.focus();
    } else if (e.key === 'j' || e.key === 'k') {
      movePassage(e.key === 'j' ? 1 : -1);
    } else if (e.key === 'c') {
      const copy = isReaderOpen() ? $('#reader-copy') : document.activeElement?.closest('.passage')?.querySelector('button.copy');
      copy?.click();
    } else if (e.key === 'o') {
      document.activeElement?.closest('.passage')?.querySelector('a.read')?.click();
    } else if (/^[1-6]$/.test(e.key)) {
      showTab(TABS[Number(e.key) - 1]);
    }
  });
}

// ---------------------------------------------------------------- reader routing

/** Follows the address: `#doc=…` opens the reader over the current view; anything else shows the view. */
function route() {
  const r = parseRoute();
  if (r) {
    if (!isReaderOpen()) state.lastTab = currentTab();
    for (const t of TABS) $(`#panel-${t}`).hidden = true;
    openReader(r);
  } else if (isReaderOpen()) {
    leaveReader(false);
  }
}

/** Back to the view the reader was opened from, with focus on the passage that opened it. */
function leaveReader(restoreFocus = true) {
  closeReader();
  document.title = state.title;
  if (parseRoute()) history.replaceState(null, '', location.pathname + location.search);
  const tab = state.lastTab ?? 'search';
  $(`#panel-${tab}`).hidden = false;
  if (restoreFocus) (state.opener?.isConnected ? state.opener : $(`#panel-${tab} [data-primary]`))?.focus();
}

function initRouting() {
  state.title = document.title;
  // Remember the passage a reader link was followed from, to come back to it.
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('a.read') : null;
    if (link) state.opener = link.closest('.passage') ?? link;
  });
  window.addEventListener('hashchange', route);
  initReader(() => leaveReader());
  route();
}

function init() {
  initToken();
  initTabs();
  initFormat();
  initKeys();
  initSearch();
  $('#quote-form').addEventListener('submit', (e) => (e.preventDefault(), runQuote()));
  $('#related-form').addEventListener('submit', (e) => (e.preventDefault(), runRelated()));
  $('#tl-form').addEventListener('submit', (e) => (e.preventDefault(), runTimeline({ passageView: timelineEntry })));
  for (const id of ['#tl-root', '#tl-type'])
    $(id).addEventListener('change', () => $('#tl-topic').value.trim() && runTimeline({ passageView: timelineEntry }));
  initCheck({ readLink: (p) => readLink(p) });
  $('#ask-form').addEventListener('submit', (e) => (e.preventDefault(), runAsk()));
  $('#copied-close').addEventListener('click', () => ($('#copied').hidden = true));
  initRouting();
  loadStatus();
}

init();
