// Copying citations: the sentence(s) a passage was found for (or the reader's selection), not its whole
// line range. The text goes through the cite tool's `quote` form, which finds it verbatim in the document and
// widens it to whole sentences with their own lines; only when that fails is the line range cited.

import { getJson } from './api.js';
import { h } from './dom.js';

const $ = (sel) => document.querySelector(sel);

export const citeFormat = {
  value: localStorage.getItem('priors.format') === 'footnote' ? 'footnote' : 'markdown',
};

export function initFormat() {
  for (const input of document.querySelectorAll('input[name="format"]')) {
    input.checked = input.value === citeFormat.value;
    input.addEventListener('change', () => {
      citeFormat.value = input.value;
      localStorage.setItem('priors.format', citeFormat.value);
    });
  }
}

let toastTimer = null;

export function showCopied(text, copied) {
  const toast = $('#copied');
  $('#copied-title').textContent = copied
    ? 'Citation copied to the clipboard'
    : 'Citation — select it and copy (the clipboard is not available here)';
  $('#copied-text').textContent = text;
  toast.hidden = false;
  toast.classList.toggle('manual', !copied);
  clearTimeout(toastTimer);
  if (copied) toastTimer = setTimeout(() => (toast.hidden = true), 12000);
  else {
    const range = document.createRange();
    range.selectNodeContents($('#copied-text'));
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
  }
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** `[start, end)` of each sentence of `text` (trailing space excluded). */
export function sentences(text) {
  const out = [];
  for (const s of segmenter.segment(text)) out.push([s.index, s.index + s.segment.trimEnd().length]);
  return out.filter(([s, e]) => text.slice(s, e).trim() !== '');
}

// A turn label at the start of a sentence (`Mara Quill [00:00:13]:`): the citation names the speaker itself.
const LABEL =
  /^\s*(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?\p{Lu}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,4}\s*(?:[[(]\d{1,2}:\d{2}(?::\d{2})?[\])])?\s*:\s+/u;

/**
 * The sentence(s) of a shown passage that match the query best: the one with the most distinct highlighted
 * words, together with its neighbour when that ties with it; null when nothing is highlighted.
 */
export function matchedSentences(text, spans = []) {
  if (!spans.length) return null;
  const all = sentences(text);
  const scored = all.map(([s, e]) => {
    const words = new Set(spans.filter(([a, b]) => a >= s && b <= e).map(([a, b]) => text.slice(a, b).toLowerCase()));
    return words.size;
  });
  const best = Math.max(...scored);
  if (best <= 0) return null;
  const i = scored.indexOf(best);
  const j = scored[i + 1] === best ? i + 1 : i;
  return text.slice(all[i][0], all[j][1]).replace(LABEL, '').trim();
}

/**
 * Spans of `text`'s words (four letters or more) that also occur in `probe`, e.g. the draft paragraph a related
 * passage was found for, so `matchedSentences` can pick the sentence that connects them.
 */
export function sharedWordSpans(text, probe) {
  const words = new Set((probe.toLowerCase().match(/\p{L}{4,}/gu) ?? []).map((w) => w.slice(0, 6)));
  return [...text.matchAll(/\p{L}{4,}/gu)]
    .filter((m) => words.has(m[0].toLowerCase().slice(0, 6)))
    .map((m) => [m.index, m.index + m[0].length]);
}

/** Text selected inside `el`, if any (trimmed, one line of whitespace). */
export function selectionIn(el) {
  const sel = getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  if (!el.contains(range.commonAncestorContainer)) return null;
  const text = sel.toString().replace(/\s+/g, ' ').trim();
  return text.length >= 3 ? text : null;
}

async function cite(ref) {
  return getJson('/api/cite', { ...ref, format: citeFormat.value });
}

/**
 * Copies the citation for `loc` (`docId`, `lineStart`/`lineEnd`, optional `quote`): the quote's sentence(s)
 * when one is given and found verbatim in the document, else the line range.
 */
export async function copyCitation(button, loc) {
  const label = button.textContent;
  button.disabled = true;
  try {
    const range = { docId: loc.docId, lineStart: loc.lineStart, lineEnd: loc.lineEnd };
    let out;
    if (loc.quote) {
      try {
        out = await cite({ docId: loc.docId, quote: loc.quote });
      } catch (err) {
        // Not verbatim after all (e.g. a selection across a footnote): cite the passage's lines instead.
        if (err.status !== 404 || loc.lineStart === undefined) throw err;
      }
    }
    out ??= await cite(loc.lineStart === undefined ? { docId: loc.docId } : range);
    let copied = false;
    try {
      await navigator.clipboard.writeText(out.citation);
      copied = true;
    } catch {
      // Plain-HTTP pages on other hosts have no clipboard API; the citation is shown selected instead.
    }
    showCopied(out.citation, copied);
    button.textContent = copied ? 'Copied ✓' : 'Shown below';
    setTimeout(() => (button.textContent = label), 1600);
  } catch (err) {
    showCopied(`Could not make the citation: ${err.message}`, false);
  } finally {
    button.disabled = false;
  }
}

/**
 * A "Copy citation" button. `loc()` may be a function, read on click, so a selection made just before
 * pressing the button (or `c`) is what gets cited.
 */
export function copyButton(loc, title = 'Copy a citation of the matched sentence, or of the text you selected (c)') {
  const b = h('button', { type: 'button', class: 'copy', title }, 'Copy citation');
  const read = () => (typeof loc === 'function' ? loc() : loc);
  // A mouse press may collapse the selection before the click: read the target while it is still there.
  let pressed = null;
  b.addEventListener('pointerdown', () => (pressed = read()));
  b.addEventListener('click', () => {
    const target = pressed ?? read();
    pressed = null;
    copyCitation(b, target);
  });
  return b;
}
