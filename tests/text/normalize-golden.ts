/**
 * Fingerprints of `normalizeForMatch` outputs, to prove a faster implementation gives the same text and the same
 * offsets. `tests/text/fixtures/normalize-golden.json` holds what the implementation of 2026-12-03 (before its
 * fast paths) produced; regenerate it only for an intended change of the matching form:
 * `node --import tsx tests/text/normalize-golden.ts > tests/text/fixtures/normalize-golden.json`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { highlightSpans, queryTerms } from '../../src/text/highlight.js';
import { normalizeForMatch } from '../../src/text/normalize.js';
import { CORPUS, SHARED_DATA } from '../helpers/paths.js';

/** Strings that take every slow path: Unicode quotes, dashes, spaces, ligatures, marks, emoji, CJK, markdown. */
export const TRICKY = [
  '\u201cIt\u2019s\u201d \u2018fine\u2019 \u00abok\u00bb \u201equote\u201f \u2032prime\u2033 \u2039a\u203a \u02bcx \uff02y\uff07',
  'a \u2014 b, a\u2013b, a -- b, a - b, a\u2010b\u2011c\u2012d\u2015e\u2212f\ufe58g\ufe63h\uff0di --- -',
  '- dash first\n-- two\n --- \u2014lead',
  'wait\u2026 really\u2026\u2026 &hellip; &HELLIP; &amp;amp; &#8217;s &#xa0;x &nbsp; &nbsp;-&nbsp;y &bogus; &',
  '  Hello\u00a0\u00a0World\n\tagain \u2009\u202f\u3000\u1680\u2028\u2029\u205f\u0085 end  ',
  'zero\u200bwidth soft\u00adhyphen \ufeffbom \u2060wj \u200c\u200d',
  'Caf\u00e9 vs cafe\u0301 vs CAF\u00c9 na\u00efve \u00c5ngstr\u00f6m \u1e9e\u00df \u0130stanbul \u01c5 \u212b \u2126',
  '\ufb01nance \ufb02ow \ufb00 \ufb03 \u0132 \u00bd \u00b2 \u2460 \u2163',
  'emoji \ud83d\ude00 \ud83d\udc4d\ud83c\udffd \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 flag \ud83c\uddfa\ud83c\uddf8 \ud835\udc00\ud835\udc01 lone \ud83d end \udc00x \ud83da',
  '\u4e2d\u6587\u6587\u672c\uff0c\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3002\ud55c\uad6d\uc5b4 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea \u0928\u092e\u0938\u094d\u0924\u0947 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35',
  'I\\\'m \\"sure\\" \\[1\\] \\*not emphasis\\* \\\\ back \\a \\\nbreak \\',
  "don\\'t won\\'t it\\'s the model\\'s ca\\'n\\'t ''' '' 'quoted' \"double\" \\'\\'",
  '**bold** and *it* and __b__ and _it_ and ~~gone~~ ~one~ `code` ``two`` * lone * _ lone _ a*b*c snake_case_name __init__',
  'see [the post](https://x.com/a_(b)) and [ref][1] ![alt](img.png)done [a [nested] link](u) [open (x) [^n] [^] [^a b]',
  '[unclosed link text that goes on\n\nand a new paragraph](x) [x](no close\n) ![img]no [t](' + 'u'.repeat(2100) + ')',
  'a claim[^2] and [^note] and [^long-label-here]. [text](http://a.b/c "title") [x]: http://ref',
  '> quoted\n> > nested\n## Heading\n###### six\n####### seven\n- item\n* item\n+ item\n#hashtag\n>no space\n   - indented\n\t* tab',
  'AT&amp;T &nbsp;x &mdash; y &ndash; z &lt;tag&gt; &quot;q&quot; &apos;a&#39; &rsquo;&lsquo;&rdquo;&ldquo;&#x27;&#8216;&#8220;&#8221;&#8212;&#8211;&#160;',
  'MiXeD CaSe ABC xyz 0123456789 !#$%()+,./:;<=>?@]^{|}',
  'line one  \nline two\r\nline three\rline four\n\n\npara',
  '',
  ' ',
  '-',
  '\u2014',
  'x',
  '\\',
  '[',
  '**',
  'tail space \u00a0',
];

/** Every piece a passage can be: the whole file, each paragraph, each line (the matching form depends on line starts). */
export function piecesOf(content: string): string[] {
  return [content, ...content.split(/\n\s*\n/), ...content.split('\n')];
}

export function digestOf(texts: readonly string[]): string {
  const h = createHash('sha256');
  for (const t of texts) {
    const n = normalizeForMatch(t);
    h.update(n.norm);
    h.update('\u0000');
    h.update(Array.from(n.map).join(','));
    h.update('\u0000');
    h.update(Array.from(n.mapEnd).join(','));
    h.update('\u0001');
  }
  return h.digest('hex');
}

/** Markdown-ish files under `root`, by path relative to `base`, sorted. */
export function textFiles(root: string, base: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|markdown|txt|jsonl|vtt|srt)$/.test(e.name)) out.push(path.relative(base, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Queries whose words occur in both corpora in many inflections, for highlight spans. */
export const QUERIES = ['open models a year behind', 'scaling the reward model', "RLHF isn't dead", 'café naïve ﬁnance'];

/** Highlight spans of every paragraph for every query in `QUERIES`. */
export function highlightDigestOf(content: string): string {
  const h = createHash('sha256');
  for (const q of QUERIES) {
    const terms = queryTerms(q);
    for (const p of content.split(/\n\s*\n/))
      h.update(
        `${highlightSpans(p, terms)
          .map((s) => `${s.start}-${s.end}`)
          .join(',')};`,
      );
  }
  return h.digest('hex');
}

export function goldenOf(root: string, base: string): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const rel of textFiles(root, base)) {
    const content = readFileSync(path.join(base, rel), 'utf8');
    out[rel] = [digestOf(piecesOf(content)), highlightDigestOf(content)];
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const tricky = TRICKY.map((t) => {
    const n = normalizeForMatch(t);
    return { norm: n.norm, map: Array.from(n.map), mapEnd: Array.from(n.mapEnd) };
  });
  const data = path.join(SHARED_DATA, 'interconnects');
  const golden = { tricky, corpus: goldenOf(CORPUS, CORPUS), archive: goldenOf(data, SHARED_DATA) };
  process.stdout.write(`${JSON.stringify(golden)}\n`);
}
