// The timeline view: how often a topic comes up per year (a bar chart in plain SVG) and the entries, dated
// ones by year, undated ones apart, filtered by root and type. Data from the timeline tool's route.

import { getJson } from './api.js';
import { clear, h, plural } from './dom.js';

const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

function yearOf(date) {
  return /^(\d{4})/.exec(date ?? '')?.[1] ?? null;
}

/**
 * Per-year counts and the undated entries as the timeline tool reports them: `years` (documents mentioning the
 * topic per year, `count`, and how many are entries, `shown`), `undated` apart and `undatedCount`.
 */
export function timelineSummary(out) {
  const dated = (out.entries ?? []).filter((e) => yearOf(e.date));
  const undated = out.undated ?? [];
  let years = (out.years ?? []).map((y) => ({ year: String(y.year), count: y.count, shown: y.shown }));
  // Years without a mention stay on the axis, so gaps read as gaps.
  if (years.length > 1) {
    const have = new Map(years.map((y) => [y.year, y]));
    const filled = [];
    for (let y = Number(years[0].year); y <= Number(years.at(-1).year); y++)
      filled.push(have.get(String(y)) ?? { year: String(y), count: 0, shown: 0 });
    years = filled;
  }
  return { years, dated, undated, undatedCount: out.undatedCount ?? undated.length };
}

/** Bar chart of the documents on the topic per year; each bar is a keyboard-reachable button that jumps to that year. */
function chart(years, undatedCount, onPick) {
  const max = Math.max(1, ...years.map((y) => y.count));
  const barW = 36;
  const gap = 12;
  const height = 140;
  const top = 18;
  const width = Math.max(1, years.length) * (barW + gap) + gap;
  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${width} ${height + 40}`,
    width,
    role: 'group',
    'aria-label': `Mentions per year${undatedCount ? `, and ${undatedCount} undated` : ''}`,
  });
  years.forEach((y, i) => {
    const x = gap + i * (barW + gap);
    const barH = y.count === 0 ? 0 : Math.max(3, Math.round((y.count / max) * (height - top)));
    const g = s(
      'g',
      {
        class: `bar${y.count ? '' : ' empty'}`,
        tabindex: y.count ? 0 : null,
        role: y.count ? 'button' : null,
        'data-year': y.year,
        'aria-label': `${y.year}: ${plural(y.count, 'document')} on it, ${y.shown} shown`,
      },
      s('title', {}, `${y.year}: ${plural(y.count, 'document')} on it, ${y.shown} shown below`),
      s('rect', { x, y: height - barH, width: barW, height: barH, rx: 3 }),
      s('text', { x: x + barW / 2, y: height - barH - 4, 'text-anchor': 'middle', class: 'count' }, y.count ? String(y.count) : ''),
      s('text', { x: x + barW / 2, y: height + 16, 'text-anchor': 'middle', class: 'year' }, y.year),
    );
    if (y.count) {
      g.addEventListener('click', () => onPick(y.year));
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onPick(y.year);
        }
      });
    }
    svg.append(g);
  });
  return svg;
}

function entryView(e, { passageView, topic }) {
  return h('li', { class: 'entry' }, passageView(e, topic));
}

function jumpTo(year) {
  const head = document.getElementById(`tl-year-${year}`);
  if (!head) return;
  head.scrollIntoView({ block: 'start' });
  head.focus({ preventScroll: true });
}

let abort = null;

/** Runs the timeline for the form's topic and filters; `render.passageView(entry, topic)` draws one entry. */
export async function runTimeline(render) {
  const topic = $('#tl-topic').value.trim();
  const out = $('#tl-result');
  if (!topic) return;
  abort?.abort();
  abort = new AbortController();
  clear(out, h('div', { class: 'busy' }, 'Placing your writing on a timeline…'));
  try {
    const res = await getJson(
      '/api/timeline',
      { topic, limit: 50, undated: 20, root: $('#tl-root').value, type: $('#tl-type').value },
      abort.signal,
    );
    const { years, dated, undated, undatedCount } = timelineSummary(res);
    if (dated.length === 0 && undated.length === 0) {
      clear(out, h('p', { class: 'summary' }, res.note ?? `Nothing in the archive on “${topic}”.`));
      return;
    }
    const byYear = new Map();
    for (const e of dated) {
      const y = yearOf(e.date);
      if (!byYear.has(y)) byYear.set(y, []);
      byYear.get(y).push(e);
    }
    const total = years.reduce((n, y) => n + y.count, 0);
    clear(
      out,
      h(
        'p',
        { class: 'summary', role: 'status' },
        `${plural(total, 'dated document')} on it${years.length ? ` from ${years[0].year} to ${years.at(-1).year}` : ''}, ${dated.length} shown` +
          `${undatedCount ? ` · ${undatedCount} undated` : ''}`,
      ),
      years.length
        ? h(
            'figure',
            { class: 'chart-box' },
            chart(years, undatedCount, jumpTo),
            h('figcaption', {}, 'Documents on it per year — select a bar to jump to that year'),
          )
        : null,
      [...byYear].map(([year, list]) =>
        h(
          'section',
          { class: 'year-group' },
          h('h3', { id: `tl-year-${year}`, tabindex: '-1' }, `${year} `, h('span', { class: 'muted' }, `(${list.length})`)),
          h(
            'ol',
            { class: 'entries' },
            list.map((e) => entryView(e, { ...render, topic })),
          ),
        ),
      ),
      undated.length
        ? h(
            'section',
            { class: 'year-group undated' },
            h(
              'h3',
              { id: 'tl-year-undated', tabindex: '-1' },
              'Undated ',
              h('span', { class: 'muted' }, `(${undated.length < undatedCount ? `${undated.length} of ${undatedCount}` : undated.length})`),
            ),
            h(
              'ol',
              { class: 'entries' },
              undated.map((e) => entryView(e, { ...render, topic })),
            ),
          )
        : null,
    );
  } catch (err) {
    if (err.name === 'AbortError') return;
    clear(out, h('div', { class: 'error', role: 'alert' }, err.message));
  }
}
