// Markdown → safe, line-anchored DOM for the document reader.
//
// markdown-it (served from the installed package at /vendor/markdown-it.mjs) with raw HTML disabled: any
// `<script>`, `<img onerror>` or `<iframe>` in a document is shown as text, and its link validator refuses
// `javascript:`/`vbscript:`/`file:`/`data:` URLs. The HTML it produces is parsed in an inert <template> and
// then passed through an allow-list of the tags and attributes it is known to produce, so the page would stay
// safe even if a future version let something through. The page's CSP (script-src 'self') is the third wall.

import MarkdownIt from '/vendor/markdown-it.mjs';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

// Block tokens that carry their source lines onto the element (`data-ls`/`data-le`, 1-based file lines).
const ANCHORED = new Set([
  'paragraph_open',
  'heading_open',
  'list_item_open',
  'blockquote_open',
  'fence',
  'code_block',
  'table_open',
  'tr_open',
  'hr',
]);

// Images are not fetched (the archive's images live on other hosts, and a local tool should not call out
// when a document is opened): they show as their alt text.
md.renderer.rules.image = (tokens, i) => {
  const alt = tokens[i].children?.map((t) => t.content).join('') || 'image';
  return `<span class="img-alt">[${md.utils.escapeHtml(alt)}]</span>`;
};

const TAGS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'CODE',
  'EM',
  'STRONG',
  'S',
  'A',
  'HR',
  'BR',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'SPAN',
]);

function allowedAttribute(el, name, value) {
  if (name === 'data-ls' || name === 'data-le') return /^\d+$/.test(value);
  if (name === 'href') return el.tagName === 'A' && /^(https?:|mailto:)/i.test(value);
  if (name === 'start') return el.tagName === 'OL' && /^\d+$/.test(value);
  if (name === 'class') return /^(img-alt|language-[\w-]+)$/.test(value);
  if (name === 'style') return (el.tagName === 'TH' || el.tagName === 'TD') && /^text-align:(left|right|center)$/.test(value);
  return false;
}

/** Keeps only allowed elements (others become their text) and attributes; outbound links open a new tab. */
function sanitize(root) {
  for (const el of [...root.querySelectorAll('*')]) {
    if (!TAGS.has(el.tagName)) {
      el.replaceWith(document.createTextNode(el.textContent ?? ''));
      continue;
    }
    // A footnote reference (`[1](#footnote-1)`) points into the page it was exported from: keep its number.
    if (el.tagName === 'A' && /^#/.test(el.getAttribute('href') ?? '') && /^\d{1,3}$/.test(el.textContent ?? '')) {
      el.textContent = `[${el.textContent}]`;
    }
    for (const attr of [...el.attributes]) if (!allowedAttribute(el, attr.name, attr.value)) el.removeAttribute(attr.name);
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

/** Line index (0-based) where the body starts: after a leading `---` … `---` front-matter block. */
export function bodyStart(lines) {
  if (lines[0]?.trim() !== '---') return 0;
  for (let i = 1; i < lines.length; i++) if (/^(---|\.\.\.)\s*$/.test(lines[i])) return i + 1;
  return 0;
}

// Export residue that would show as literal text, blanked in place so every line keeps its number: Substack's
// pandoc fences (`:::: {.footnote …}`), lines that are a lone HTML tag (`<div>`, `</figure>`), and attribute
// blocks (`{#footnote-anchor-1 .x}`). Other raw HTML stays visible as text.
const FENCE_LINE = /^[ \t]*(?::{3,}.*|<\/?[a-zA-Z][\w-]*(?:\s[^<>]*)?\/?>[ \t]*)$/;
const ATTRIBUTES = /\{(?:[#.][\w:.-]|[\w-]+=")[^}\n]*\}/g;

/**
 * `text` (file lines from `firstLine`) rendered as a fragment whose blocks carry `data-ls`/`data-le`; blocks
 * where a speaker turn starts get `data-speaker` and a role class. `oneLine`: the whole text is one file line
 * (a JSONL record), so every block is anchored to it.
 */
export function renderDocument(text, firstLine, { turns = [], people = [], oneLine = false } = {}) {
  const lines = text.split('\n');
  const skip = firstLine === 1 ? bodyStart(lines) : 0;
  const body = lines
    .slice(skip)
    .map((l) => (FENCE_LINE.test(l) ? '' : l.replace(ATTRIBUTES, '')))
    .join('\n');
  const base = firstLine + skip;
  const tokens = md.parse(body, {});
  for (const t of tokens) {
    if (!t.map || !ANCHORED.has(t.type)) continue;
    t.attrSet('data-ls', String(oneLine ? firstLine : base + t.map[0]));
    t.attrSet('data-le', String(oneLine ? firstLine : base + Math.max(t.map[0], t.map[1] - 1)));
  }
  const tpl = document.createElement('template');
  tpl.innerHTML = md.renderer.render(tokens, md.options, {});
  sanitize(tpl.content);
  labelTurns(tpl.content, turns, people);
  return tpl.content;
}

function labelTurns(root, turns, people) {
  const roles = new Map(people.map((p) => [p.name, p.role]));
  const blocks = [...root.querySelectorAll('[data-ls]')].filter((b) => b.tagName !== 'LI' && b.tagName !== 'TABLE');
  for (const turn of turns) {
    const block = blocks.find((b) => Number(b.dataset.ls) <= turn.line && turn.line <= Number(b.dataset.le));
    if (!block) continue;
    const role = roles.get(turn.speaker);
    block.dataset.speaker = turn.speaker;
    block.classList.add('turn');
    if (role) block.classList.add(role);
    block.title = `${turn.speaker}${role ? ` (${role})` : ''}${turn.timestamp ? ` at ${turn.timestamp}` : ''}`;
  }
}
