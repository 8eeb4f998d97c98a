/**
 * Clean text for people: what a passage reads like on the published page. Search, quote and cite keep the
 * verbatim source text (`text`, checked against the file); this is the form shown beside it (`displayText`)
 * and pasted into citations. Markdown and export residue goes: backslash escapes (`I\'m`, `\[00:15:07\]`),
 * Substack/pandoc fenced divs (`:::: {.footnote …}`), attribute blocks (`{#footnote-anchor-1 …}`), footnote
 * reference links, images, HTML tags, emphasis markers and heading marks; links show as their text.
 */

const FENCE_LINE = /^[ \t]*:{3,}.*$/gm;
/** `[1](#footnote-1){#footnote-anchor-1 .footnote-anchor …}` and the footnote list's back links. */
const FOOTNOTE_LINK = /\\?\[\d{1,3}\\?\]\(#footnote[^)\s]*\)(?:\{[^}\n]*\})?/g;
const IMAGE = /!\[[^\]\n]*\]\([^)\n]*\)(?:\{[^}\n]*\})?/g;
const LINK = /\[([^\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)(?:\{[^}\n]*\})?/g;
const AUTOLINK = /<(https?:\/\/[^>\s]+)>/g;
/** Pandoc attribute blocks: `{#id .class key="value"}`, `{target="_blank"}`. */
const ATTRIBUTES = /\{(?:[#.][\w:.-]|[\w-]+=")[^}\n]*\}/g;
const HTML_TAG = /<\/?[a-zA-Z][\w-]*(?:\s[^<>\n]*)?\/?>/g;
const ESCAPE = /\\([\\`*_{}[\]()#+\-.!'"<>|~$&:@^=])/g;
const HEADING_MARK = /^[ \t]{0,3}#{1,6}[ \t]+/gm;
const STRONG = /(\*\*|__)(?=\S)([^\n]*?\S)\1/g;
const EMPHASIS = /(^|[^\w*\\])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g;
const CODE = /`([^`\n]+)`/g;

/**
 * `s.replace(re, to)`, skipped when `s` lacks `needle`, which every match of `re` contains: each regex costs its
 * compilation on its first use in a process, and a passage needs few of these (a cold search's ten passages: ~1.3 ms
 * with every regex compiled).
 */
function replaceWhere(s: string, needle: string, re: RegExp, to: string): string {
  return s.includes(needle) ? s.replace(re, to) : s;
}

export function displayText(raw: string): string {
  let s = replaceWhere(raw, '\r', /\r\n?/g, '\n');
  s = replaceWhere(s, ':::', FENCE_LINE, '');
  s = replaceWhere(s, '(#footnote', FOOTNOTE_LINK, '');
  s = replaceWhere(s, '![', IMAGE, '');
  // Links may be nested in emphasis and vice versa; two passes settle both.
  for (let i = 0; i < 2; i++) s = replaceWhere(s, '](', LINK, '$1');
  s = replaceWhere(s, '<http', AUTOLINK, '$1');
  s = replaceWhere(s, '{', ATTRIBUTES, '');
  s = replaceWhere(s, '<', HTML_TAG, '');
  s = replaceWhere(s, '#', HEADING_MARK, '');
  s = replaceWhere(s, '`', CODE, '$1');
  // Emphasis before escapes: an escaped `\*` must survive as a literal star.
  s = replaceWhere(s, '\\*', /\\\*/g, '\ue000');
  if (s.includes('**') || s.includes('__')) s = s.replace(STRONG, '$2');
  s = replaceWhere(s, '*', EMPHASIS, '$1$2');
  s = replaceWhere(s, '\\', ESCAPE, '$1');
  s = replaceWhere(s, '\ue000', /\ue000/g, '*');
  s = replaceWhere(s, '\u00a0', /\u00a0/g, ' ');
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?`;
/** A turn label at the start of clean text: `Ross Taylor [00:15:07]:`, `[00:00:00] Nathan Lambert:`, `Dean W Ball (00:00:01):`. */
const LEADING_LABEL_SOURCE = String.raw`^(?:\[${TIME}\][ \t]*)?\p{Lu}[\p{L}\p{M}'’.\-]*(?:[ \t]+[\p{L}\p{M}'’.\-]+){0,4}[ \t]*(?:[\[(]${TIME}[\])])?[ \t]*:[ \t]*`;
/**
 * Made on first use: V8 parses a Unicode-property regex when it is created (~0.45 ms for this one), and only
 * citations strip labels, while every command that shows a passage loads this module.
 */
let leadingLabel: RegExp | undefined;

/** Clean text of a speaker turn without its leading label (the citation names the speaker instead). */
export function stripSpeakerLabel(clean: string): string {
  leadingLabel ??= new RegExp(LEADING_LABEL_SOURCE, 'u');
  const m = leadingLabel.exec(clean);
  return m ? clean.slice(m[0].length) : clean;
}

/**
 * Length of the speaker label at the start of raw turn text (`**Ross Taylor** \[00:15:07\]: `), 0 when there
 * is none: the label ends at its first colon that is not inside a timestamp, plus closing bold and spaces.
 */
export function rawSpeakerLabelLength(raw: string): number {
  const line = raw.slice(0, raw.indexOf('\n') === -1 ? raw.length : raw.indexOf('\n'));
  const clean = displayText(line);
  if (stripSpeakerLabel(clean) === clean) return 0;
  const colon = /:(?!\d)/.exec(line.slice(0, 200));
  if (!colon) return 0;
  const after = /^(?:\*\*|__)?[ \t\u00a0]*/.exec(line.slice(colon.index + 1));
  return colon.index + 1 + (after?.[0].length ?? 0);
}
