// DOM building without innerHTML: archive text is always inserted as text, never parsed as markup.

/** `h('a', { href, class: 'x', onclick }, 'text', child)` */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Text with `[start, end)` spans wrapped in <mark>; spans are sorted and non-overlapping (from the server). */
export function highlighted(text, spans = []) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at || end > text.length) continue;
    frag.append(text.slice(at, start), h('mark', {}, text.slice(start, end)));
    at = end;
  }
  frag.append(text.slice(at));
  return frag;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2024-03-05` → `March 5, 2024` from the string itself (no time-zone shifts); other forms pass through. */
export function formatDate(date) {
  if (!date) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date);
  if (!m) return date;
  const month = m[2] ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!month) return m[1];
  return m[3] ? `${month} ${Number(m[3])}, ${m[1]}` : `${month} ${m[1]}`;
}

/** Safe outbound link: only http(s) URLs become links. */
export function externalLink(url, ...children) {
  if (!url || !/^https?:\/\//i.test(url)) return h('span', {}, ...children);
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, ...children);
}

/** "1 document", "3 documents": a count with its noun. */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A close quote's differing words: words left out and words added are named as such (a dash for "nothing"
 * read as if the quote held a dash). The CLI's quote text says the same.
 */
export function differenceText(d) {
  if (!d.quote) return `left out “${d.source}”`;
  if (!d.source) return `not in the archive: “${d.quote}”`;
  return `you have “${d.quote}”, the archive “${d.source}”`;
}
