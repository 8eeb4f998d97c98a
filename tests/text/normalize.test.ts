import { describe, expect, it } from 'vitest';
import { normalizeForMatch, stem, toOriginalSpan, wordTokens } from '../../src/text/normalize.js';

function normOf(s: string): string {
  return normalizeForMatch(s).norm;
}

describe('normalizeForMatch', () => {
  it('folds case, whitespace runs, unicode spaces, quotes, dashes and ellipses', () => {
    expect(normOf('  Hello\u00a0\u00a0World\n\tagain  ')).toBe('hello world again');
    expect(normOf('\u201cIt\u2019s\u201d \u2018fine\u2019 \u00abok\u00bb')).toBe("'it's' 'fine' 'ok'");
    expect(normOf('wait\u2026 really')).toBe('wait... really');
    expect(normOf('a \u2014 b, a\u2013b, a -- b, a - b')).toBe('a-b, a-b, a-b, a-b');
    expect(normOf('thin\u2009space\u202fnarrow\u3000ideo')).toBe('thin space narrow ideo');
    expect(normOf('zero\u200bwidth soft\u00adhyphen')).toBe('zerowidth softhyphen');
    expect(normOf('Caf\u00e9 vs cafe\u0301')).toBe('cafe vs cafe');
  });

  it('drops markdown escapes, emphasis, code ticks and link/image syntax', () => {
    expect(normOf('I\\\'m \\"sure\\" \\[1\\] \\*not emphasis\\*')).toBe("i'm 'sure' [1] *not emphasis*");
    expect(normOf('**bold** and *it* and __b__ and _it_ and ~~gone~~ `code`')).toBe('bold and it and b and it and gone code');
    expect(normOf('see [the post](https://x.com/a_(b)) and [ref][1] ![alt](img.png)done')).toBe('see the post and ref done');
    expect(normOf('a claim[^2] and [^note]')).toBe('a claim and');
    expect(normOf('AT&amp;T &nbsp;x &mdash; y')).toBe('at&t x-y');
  });

  it('keeps literal markers that are not markup', () => {
    expect(normOf('snake_case_name')).toBe('snake_case_name');
    expect(normOf('2 * 3 = 6')).toBe('2 * 3 = 6');
    expect(normOf('about ~5 minutes [not a link]')).toBe('about ~5 minutes [not a link]');
  });

  it('drops block markers at line starts', () => {
    expect(normOf('> quoted\n> > nested\n## Heading\n- item\n* item\n+ item\n#hashtag')).toBe(
      'quoted nested heading item item item #hashtag',
    );
  });

  it('maps every normalised char back to original offsets', () => {
    const src = "Say: I\\'m **very** sure\u00a0\u2014 it\u2019s [here](http://x).";
    const n = normalizeForMatch(src);
    expect(n.norm).toBe("say: i'm very sure-it's here.");
    expect(n.map).toHaveLength(n.norm.length + 1);
    expect(n.mapEnd).toHaveLength(n.norm.length + 1);
    expect(n.map[n.norm.length]).toBe(src.length);
    // every char maps into the original, monotonically
    for (let i = 1; i < n.norm.length; i++) expect(n.map[i]).toBeGreaterThanOrEqual(n.map[i - 1] ?? 0);
    const at = n.norm.indexOf("i'm");
    expect(src.slice(n.map[at], n.mapEnd[at + 2])).toBe("I\\'m");
    const v = n.norm.indexOf('very');
    const span = toOriginalSpan(n, v, v + 'very sure'.length);
    expect(src.slice(span.start, span.end)).toBe('very** sure');
    const h = n.norm.indexOf('here');
    const hs = toOriginalSpan(n, h, h + 4);
    expect(src.slice(hs.start, hs.end)).toBe('here');
  });

  it('maps expanded chars (ellipsis, surrogate pairs) to their whole original char', () => {
    const src = 'ok\u2026 \ud83d\ude00 yes';
    const n = normalizeForMatch(src);
    expect(n.norm).toBe('ok... \ud83d\ude00 yes');
    const dots = toOriginalSpan(n, 2, 5);
    expect(src.slice(dots.start, dots.end)).toBe('\u2026');
    const emoji = toOriginalSpan(n, 6, 8);
    expect(src.slice(emoji.start, emoji.end)).toBe('\ud83d\ude00');
  });

  it('handles empty and whitespace-only text', () => {
    expect(normalizeForMatch('')).toEqual({ norm: '', map: [0], mapEnd: [0] });
    expect(normalizeForMatch(' \n ').norm).toBe('');
  });
});

describe('stem', () => {
  it('maps inflections of a word to one key', () => {
    const same = (words: string[]) => expect(new Set(words.map(stem)).size).toBe(1);
    same(['model', 'models', 'modeled', 'modeling']);
    same(['scale', 'scales', 'scaled', 'scaling']);
    same(['run', 'running']);
    same(['study', 'studies', 'studied']);
    same(['author', "author's"]);
    same(['quick', 'quickly']);
  });

  it('leaves short and -ss/-us/-is words alone', () => {
    expect(stem('is')).toBe('is');
    expect(stem('class')).toBe('class');
    expect(stem('focus')).toBe('focus');
    expect(stem('analysis')).toBe('analysis');
    expect(stem('string')).toBe('string');
  });
});

describe('wordTokens', () => {
  it('keeps inner apostrophes and reports normalised offsets', () => {
    const toks = wordTokens("don't stop-now 42");
    expect(toks.map((t) => t.word)).toEqual(["don't", 'stop', 'now', '42']);
    expect(toks[1]).toMatchObject({ ns: 6, ne: 10 });
  });
});
