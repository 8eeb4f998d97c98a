import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  type CitationFormat,
  type CitationInput,
  footnoteKey,
  formatCitation,
  formatDate,
  formatLocation,
  textFragmentUrl,
} from '../../src/text/citation-format.js';

const FULL: CitationInput = {
  docId: 'posts/2024-03-05-open-models.md',
  title: 'Open models, a year in',
  date: '2024-03-05',
  url: 'https://example.com/p/open-models',
  relPath: 'posts/2024-03-05-open-models.md',
  lineStart: 12,
  lineEnd: 14,
  quote: 'The gap is stable.\n\nWho pays for it is the question.',
};

const BARE: CitationInput = {
  docId: 'notes/untitled.md',
  title: null,
  date: null,
  url: null,
  relPath: 'notes/untitled.md',
  lineStart: 3,
  lineEnd: 3,
  quote: 'Just a line.',
};

const TRANSCRIPT: CitationInput = {
  ...FULL,
  docId: 'podcasts/ep-12.md',
  relPath: 'podcasts/ep-12.md',
  title: 'Episode 12',
  lineStart: 40,
  lineEnd: 41,
  quote: 'Post-training is mostly data work.',
  speaker: 'Nathan Lambert',
  timestamp: '00:12:34',
};

describe('formatDate', () => {
  it('writes Month D, YYYY without time-zone shifts', () => {
    expect(formatDate('2024-03-05')).toBe('March 5, 2024');
    expect(formatDate('2024-12-31T23:30:00-08:00')).toBe('December 31, 2024');
    expect(formatDate('2024-01-01T00:00:00Z')).toBe('January 1, 2024');
    expect(formatDate('2024-07')).toBe('July 2024');
    expect(formatDate('2024')).toBe('2024');
  });

  it('passes through what it cannot parse and drops blanks', () => {
    expect(formatDate('spring 2023')).toBe('spring 2023');
    expect(formatDate('2024-13-01')).toBe('2024-13-01');
    expect(formatDate(null)).toBeNull();
    expect(formatDate('  ')).toBeNull();
  });
});

describe('formatLocation / footnoteKey', () => {
  it('shows a range or a single line', () => {
    expect(formatLocation(FULL)).toBe('posts/2024-03-05-open-models.md:12-14');
    expect(formatLocation(BARE)).toBe('notes/untitled.md:3');
  });

  it('makes a label-safe footnote key', () => {
    expect(footnoteKey(FULL)).toBe('2024-03-05-open-models-12');
    expect(footnoteKey({ docId: 'Über Notes (draft).md', relPath: 'x', lineStart: 1 })).toBe('uber-notes-draft-1');
  });
});

describe('formatCitation', () => {
  it('markdown: blockquote of the lines, then the attribution', () => {
    expect(formatCitation(FULL, 'markdown')).toBe(
      [
        '> The gap is stable.',
        '>',
        '> Who pays for it is the question.',
        '',
        // The link scrolls to the quoted words (a text fragment: first and last words of a longer quote).
        '— [Open models, a year in](https://example.com/p/open-models#:~:text=The%20gap%20is%20stable.%20Who,for%20it%20is%20the%20question.), March 5, 2024 (posts/2024-03-05-open-models.md:12-14)',
      ].join('\n'),
    );
  });

  it('footnote: quote with a reference, then the definition', () => {
    expect(formatCitation(FULL, 'footnote')).toBe(
      [
        '> The gap is stable.',
        '>',
        '> Who pays for it is the question.[^2024-03-05-open-models-12]',
        '',
        '[^2024-03-05-open-models-12]: Open models, a year in, March 5, 2024. https://example.com/p/open-models#:~:text=The%20gap%20is%20stable.%20Who,for%20it%20is%20the%20question. posts/2024-03-05-open-models.md:12-14',
      ].join('\n'),
    );
  });

  it('plain: one line', () => {
    expect(formatCitation(FULL, 'plain')).toBe(
      '"The gap is stable. Who pays for it is the question." — Open models, a year in, March 5, 2024, https://example.com/p/open-models (posts/2024-03-05-open-models.md:12-14)',
    );
  });

  it('json: every field, nulls for missing ones', () => {
    const parsed: unknown = JSON.parse(formatCitation(BARE, 'json'));
    expect(parsed).toEqual({
      docId: 'notes/untitled.md',
      title: null,
      date: null,
      dateFormatted: null,
      url: null,
      fragmentUrl: null,
      relPath: 'notes/untitled.md',
      lineStart: 3,
      lineEnd: 3,
      location: 'notes/untitled.md:3',
      quote: 'Just a line.',
      displayQuote: 'Just a line.',
      speaker: null,
      speakers: [],
      role: null,
      timestamp: null,
      type: null,
      authors: [],
      container: null,
      chapter: null,
    });
    expect(formatCitation(FULL, 'json')).toContain('\n  "title": "Open models, a year in",');
  });

  it('degrades gracefully without title, date or url', () => {
    expect(formatCitation(BARE, 'markdown')).toBe('> Just a line.\n\n— notes/untitled.md:3');
    expect(formatCitation(BARE, 'footnote')).toBe('> Just a line.[^untitled-3]\n\n[^untitled-3]: notes/untitled.md:3');
    expect(formatCitation(BARE, 'plain')).toBe('"Just a line." — notes/untitled.md:3');
    const titleOnly = { ...BARE, title: 'Draft?' };
    expect(formatCitation(titleOnly, 'markdown')).toBe('> Just a line.\n\n— *Draft?* (notes/untitled.md:3)');
    expect(formatCitation(titleOnly, 'footnote')).toContain('[^untitled-3]: Draft? notes/untitled.md:3');
    const urlOnly = { ...BARE, url: 'https://example.com/a (b)' };
    expect(formatCitation(urlOnly, 'markdown')).toBe(
      '> Just a line.\n\n— <https://example.com/a (b)#:~:text=Just%20a%20line.> (notes/untitled.md:3)',
    );
    const linkWithParens = { ...BARE, title: 'A [draft]', url: 'https://en.wikipedia.org/wiki/X_(y)' };
    expect(formatCitation(linkWithParens, 'markdown')).toContain(
      '[A \\[draft\\]](<https://en.wikipedia.org/wiki/X_(y)#:~:text=Just%20a%20line.>)',
    );
  });

  it('never prints "null" or "undefined" in text formats', () => {
    const partials: CitationInput[] = [
      BARE,
      { ...BARE, quote: null },
      { ...BARE, quote: '   ' },
      { ...BARE, date: '2023-02-01' },
      { ...BARE, speaker: null, timestamp: '00:01:02' },
      { ...FULL, title: '  ', url: '' },
    ];
    for (const c of partials) {
      for (const f of ['markdown', 'footnote', 'plain'] as const) {
        const out = formatCitation(c, f);
        expect(out).not.toMatch(/null|undefined/);
        expect(out).toContain(formatLocation(c));
      }
    }
  });

  it('prints just the reference when there is no quote', () => {
    expect(formatCitation({ ...FULL, quote: null }, 'markdown')).toBe(
      '[Open models, a year in](https://example.com/p/open-models), March 5, 2024 (posts/2024-03-05-open-models.md:12-14)',
    );
    expect(formatCitation({ ...BARE, quote: null }, 'plain')).toBe('notes/untitled.md:3');
    expect(formatCitation({ ...BARE, quote: null }, 'footnote')).toBe('[^untitled-3]\n\n[^untitled-3]: notes/untitled.md:3');
  });

  it('names speaker and timestamp for transcript passages', () => {
    for (const f of ['footnote', 'plain'] as const) {
      expect(formatCitation(TRANSCRIPT, f)).toContain('Nathan Lambert, in Episode 12 (March 5, 2024) at 00:12:34');
    }
    expect(formatCitation(TRANSCRIPT, 'markdown')).toBe(
      '> Post-training is mostly data work.\n\n— Nathan Lambert, in [Episode 12](https://example.com/p/open-models#:~:text=Post%2Dtraining%20is%20mostly%20data%20work.) (March 5, 2024) at 00:12:34 (podcasts/ep-12.md:40-41)',
    );
    expect(formatCitation({ ...BARE, speaker: 'Guest' }, 'plain')).toBe('"Just a line." — Guest (notes/untitled.md:3)');
    expect(formatCitation({ ...BARE, timestamp: '01:02:03' }, 'plain')).toBe('"Just a line." — at 01:02:03 (notes/untitled.md:3)');
    const both = { ...TRANSCRIPT, speaker: 'Nathan Lambert', speakers: ['Nathan Lambert', 'Ross Taylor'] };
    expect(formatCitation(both, 'plain')).toContain('— Nathan Lambert and Ross Taylor, in Episode 12');
    const json = JSON.parse(formatCitation(TRANSCRIPT, 'json')) as { speaker: string; timestamp: string };
    expect(json.speaker).toBe('Nathan Lambert');
    expect(json.timestamp).toBe('00:12:34');
  });

  it('keeps CRLF quotes clean and rejects unknown formats', () => {
    expect(formatCitation({ ...BARE, quote: 'a\r\nb\r\n' }, 'markdown')).toBe('> a\n> b\n\n— notes/untitled.md:3');
    expect(() => formatCitation(BARE, 'html' as CitationFormat)).toThrow(UsageError);
  });
});

describe('book chapters, interviews and reference-manager formats', () => {
  const CHAPTER: CitationInput = {
    docId: 'rlhf/01-introduction.md',
    title: 'Introduction',
    date: null,
    url: 'https://rlhfbook.com/c/01-introduction',
    relPath: '01-introduction.md',
    lineStart: 21,
    lineEnd: 21,
    quote: 'RLHF is a technique used to incorporate human information into AI systems.',
    type: 'chapter',
    chapter: '1',
    container: 'Reinforcement Learning from Human Feedback',
    authors: ['Nathan Lambert'],
  };
  const GUEST: CitationInput = {
    ...TRANSCRIPT,
    title: 'Interviewing Ross Taylor',
    speaker: 'Ross Taylor',
    role: 'guest',
    type: 'interview',
    authors: ['Nathan Lambert'],
    container: 'Interconnects',
    quote: '**Ross Taylor** \\[00:15:07\\]: For us it was just a risk.',
    displayQuote: 'For us it was just a risk.',
  };

  it('cites a chapter with the book title and chapter number', () => {
    expect(formatCitation(CHAPTER, 'markdown')).toContain(
      '— Nathan Lambert, [*Reinforcement Learning from Human Feedback*, ch. 1 "Introduction"](https://rlhfbook.com/c/01-introduction#:~:text=',
    );
    expect(formatCitation({ ...CHAPTER, chapter: 'A', title: 'Definitions', url: null }, 'plain')).toContain(
      'Reinforcement Learning from Human Feedback, app. A "Definitions" (rlhf/01-introduction.md:21)',
    );
    const bib = formatCitation(CHAPTER, 'bibtex');
    expect(bib).toMatch(/^@incollection\{01-introduction-21,/);
    expect(bib).toContain('booktitle = {Reinforcement Learning from Human Feedback}');
    expect(bib).toContain('chapter = {1}');
    const [csl] = JSON.parse(formatCitation(CHAPTER, 'csl-json')) as Record<string, unknown>[];
    expect(csl).toMatchObject({ type: 'chapter', 'container-title': 'Reinforcement Learning from Human Feedback', 'chapter-number': '1' });
    expect(formatCitation({ ...CHAPTER, chapter: null }, 'bibtex')).toMatch(/^@book\{/);
  });

  it('quotes a guest by name, in the interview, with the clean text', () => {
    const md = formatCitation(GUEST, 'markdown');
    expect(md.startsWith('> For us it was just a risk.')).toBe(true);
    expect(md).toContain('— Ross Taylor, in [Interviewing Ross Taylor](');
    expect(md).toContain('(Interconnects, March 5, 2024) at 00:12:34');
    const json = JSON.parse(formatCitation(GUEST, 'json')) as { quote: string; displayQuote: string; role: string };
    expect(json).toMatchObject({ quote: GUEST.quote, displayQuote: 'For us it was just a risk.', role: 'guest' });
    const [csl] = JSON.parse(formatCitation(GUEST, 'csl-json')) as Record<string, unknown>[];
    expect(csl).toMatchObject({
      type: 'interview',
      author: [{ family: 'Taylor', given: 'Ross' }],
      interviewer: [{ family: 'Lambert', given: 'Nathan' }],
    });
    expect(formatCitation(GUEST, 'bibtex')).toMatch(/^@online\{ep-12-40,\n {2}author = \{Ross Taylor\}/);
  });

  it('escapes BibTeX and builds text fragments that survive markdown', () => {
    expect(formatCitation({ ...BARE, title: 'R&D at 50% _now_' }, 'bibtex')).toContain('title = {R\\&D at 50\\% \\_now\\_}');
    expect(textFragmentUrl('https://x.org/p', "It's (really) - odd, isn't it")).toBe(
      'https://x.org/p#:~:text=It%27s%20%28really%29%20%2D%20odd%2C%20isn%27t%20it',
    );
    expect(textFragmentUrl('https://x.org/p#top', 'a')).toBe('https://x.org/p#top');
    expect(textFragmentUrl(null, 'a')).toBeNull();
  });
});
