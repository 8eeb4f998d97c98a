import { describe, expect, it } from 'vitest';
import { findDraftLinks, findDraftQuotes } from '../../src/text/draft-marks.js';
import { draftProbes, PROBE_CHARS, splitDraft } from '../../src/text/draft.js';

const para = (n: number, words = 'the reward model keeps drifting away from what people want') =>
  `Paragraph ${n}: ${words}, and that is worth a sentence of its own.`;

describe('splitDraft: paragraphs whatever the newline style', () => {
  it('blank lines, one paragraph per line, CRLF and lone CR all give the same paragraphs', () => {
    const ps = [para(1), para(2), para(3)];
    for (const text of [ps.join('\n\n'), ps.join('\n'), ps.join('\r\n'), ps.join('\r'), ps.join('\r\n\r\n')]) {
      const out = splitDraft(text);
      expect(out.map((p) => p.text)).toEqual(ps);
      expect(out.map((p) => p.kind)).toEqual(['paragraph', 'paragraph', 'paragraph']);
      expect(out.map((p) => text.slice(p.start, p.end))).toEqual(ps);
    }
  });

  it('single newlines: lines too long to be hard-wrapped are paragraphs of their own', () => {
    const long = `${'A long line the way an editor exports a paragraph without wrapping it. '.repeat(3)}`.trim();
    const out = splitDraft(`${long}\n${long}\n${long}`);
    expect(out).toHaveLength(3);
    expect(out.map((p) => [p.lineStart, p.lineEnd])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('hard-wrapped prose stays one paragraph; a short line ending a sentence ends it', () => {
    const text = [
      'This paragraph was wrapped at seventy-two columns by an editor that',
      'likes short lines, so the lines of one paragraph follow each other',
      'without a blank line between them.',
      'A second paragraph starts here and it is wrapped the same way, over',
      'two lines that belong together.',
    ].join('\n');
    const out = splitDraft(text);
    expect(out.map((p) => [p.lineStart, p.lineEnd])).toEqual([
      [1, 3],
      [4, 5],
    ]);
  });

  it('markdown blocks: front matter, headings, block quotes, list items and code are blocks of their own', () => {
    const text = [
      '---',
      'title: Draft',
      '---',
      '# A heading',
      para(1),
      '> A block quote',
      '> over two lines.',
      '- first item',
      '  continued',
      '- second item',
      '```',
      'code: here',
      '',
      'more code',
      '```',
      'Setext title',
      '===',
      para(2),
    ].join('\n');
    const out = splitDraft(text);
    expect(out.map((p) => p.kind)).toEqual([
      'frontmatter',
      'heading',
      'paragraph',
      'quote',
      'list',
      'list',
      'code',
      'heading',
      'paragraph',
    ]);
    expect(out[4]!.text).toBe('- first item\n  continued');
    expect(out[6]!.lineEnd).toBe(15);
    expect(out[8]!.lineStart).toBe(18);
  });

  it('an empty draft has no paragraphs', () => {
    expect(splitDraft('')).toEqual([]);
    expect(splitDraft('\n \n\r\n')).toEqual([]);
  });
});

describe('draftProbes: every paragraph is searched, long ones in windows', () => {
  it('probes each paragraph with something to say, and covers a long paragraph from start to end', () => {
    const sentence = 'Reward models drift when the policy learns their quirks instead of the task. ';
    const long = sentence.repeat(60).trim();
    const text = ['# Heading', 'Too short.', para(1), long].join('\n');
    const paragraphs = splitDraft(text);
    const probes = draftProbes(paragraphs);
    expect(probes[0]!.paragraph).toBe(2);
    const windows = probes.filter((p) => p.paragraph === 3);
    expect(windows.length).toBe(Math.ceil(long.length / PROBE_CHARS));
    for (const w of windows) {
      expect(w.text.length).toBeLessThanOrEqual(PROBE_CHARS);
      expect(text.slice(w.start, w.end)).toBe(w.text);
    }
    // Together the windows hold every sentence of the paragraph.
    expect(windows.map((w) => w.text).join(' ')).toBe(long);
  });

  it('a single sentence longer than a window is cut at word boundaries', () => {
    const words = Array.from({ length: 800 }, (_, i) => `word${i}`).join(' ');
    const probes = draftProbes(splitDraft(words));
    expect(probes.length).toBeGreaterThan(1);
    expect(probes.every((p) => p.text.length <= PROBE_CHARS && !/^\S*\s*$/.test(p.text))).toBe(true);
  });
});

describe('sentences, quotes and links in a draft', () => {
  it('finds inline quotes (not scare quotes), block quotes and quotes introduced by a colon', () => {
    const text = [
      'She called it “a patch” once, and later wrote “preference data is a craft, not a commodity … and it shows.”',
      '> The base model was honest about what it knew.',
      '> — Someone, 2024',
      'As Ines put it:',
      'They can not be in the training data, because the answer did not exist yet.',
      'Or as he told me: the words and the number disagreed, every single time.',
    ].join('\n');
    const quotes = findDraftQuotes(splitDraft(text));
    expect(quotes.map((q) => [q.kind, q.text])).toEqual([
      ['inline', 'preference data is a craft, not a commodity … and it shows.'],
      ['block', 'The base model was honest about what it knew.'],
      ['introduced', 'They can not be in the training data, because the answer did not exist yet.'],
      ['introduced', 'the words and the number disagreed, every single time.'],
    ]);
    expect(text.slice(quotes[0]!.start, quotes[0]!.end)).toBe('“preference data is a craft, not a commodity … and it shows.”');
  });

  it('finds markdown links, autolinks and bare URLs without a trailing full stop', () => {
    const text = 'See [my post](https://example.com/p/a) and <https://example.com/p/b>, or https://example.com/p/c.';
    const links = findDraftLinks(splitDraft(text));
    expect(links.map((l) => [l.label, l.url])).toEqual([
      ['my post', 'https://example.com/p/a'],
      [null, 'https://example.com/p/b'],
      [null, 'https://example.com/p/c'],
    ]);
    expect(text.slice(links[2]!.start, links[2]!.end)).toBe('https://example.com/p/c');
  });
});
