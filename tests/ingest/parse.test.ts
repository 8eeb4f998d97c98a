import { describe, expect, it } from 'vitest';
import { PriorsError } from '../../src/core/errors.js';
import { lineAt, lineStarts, paragraphRanges } from '../../src/text/lines.js';
import { extensionOf, parseFile, SUPPORTED_EXTENSIONS } from '../../src/ingest/parse.js';

describe('lines', () => {
  it('maps offsets to 1-based lines', () => {
    const s = 'a\nbc\r\n\nd';
    const starts = lineStarts(s);
    expect(starts).toEqual([0, 2, 6, 7]);
    expect([0, 1, 2, 4, 5, 6, 7, 8, 99].map((o) => lineAt(starts, o))).toEqual([1, 1, 2, 2, 2, 3, 4, 4, 4]);
    expect(lineAt(lineStarts(''), 0)).toBe(1);
  });

  it('splits paragraphs on blank lines, trimmed', () => {
    const s = '  one\ntwo  \n \n\nthree\n\u00a0\nfour';
    expect(paragraphRanges(s, 0, s.length).map(([a, b]) => s.slice(a, b))).toEqual(['one\ntwo', 'three', 'four']);
  });
});

describe('parseFile', () => {
  it('lists supported extensions and rejects others', () => {
    expect([...SUPPORTED_EXTENSIONS].sort()).toEqual(['.jsonl', '.markdown', '.md', '.mdx', '.srt', '.txt', '.vtt']);
    expect(extensionOf('a/b.C.MD')).toBe('.md');
    expect(extensionOf('a.d/README')).toBe('');
    expect(() => parseFile({ relPath: 'x.pdf', docId: 'x', content: '' })).toThrow(PriorsError);
    expect(() => parseFile({ relPath: 'x.jsonl', docId: 'x', content: '' })).toThrow(/parseJsonl/);
  });

  it('markdown: front matter fields, body blocks after it, file lines', () => {
    const content = '---\ntitle: Hi\ndate: 2024-05-06\ntags: [a]\n---\nBody text.\n';
    const doc = parseFile({ relPath: 'p/hi.md', docId: 'root/p/hi.md', content });
    expect(doc.meta).toMatchObject({
      docId: 'root/p/hi.md',
      relPath: 'p/hi.md',
      title: 'Hi',
      date: '2024-05-06',
      tags: ['a'],
      type: 'post',
    });
    expect(doc).toMatchObject({ source: content, lineBase: 1, linesMapToFile: true, warnings: [] });
    expect(doc.blocks.map((b) => content.slice(b.start, b.end))).toEqual(['Body text.']);
  });

  it('cleans pandoc attributes from heading text', () => {
    const doc = parseFile({ relPath: 'b.md', docId: 'b', content: '# Bibliography {-}\n\ntext\n\n## Part {#p .x}\n\nmore' });
    expect(doc.blocks.map((b) => b.headingPath.join('>'))).toEqual([
      'Bibliography',
      'Bibliography',
      'Bibliography>Part',
      'Bibliography>Part',
    ]);
  });

  it('empty body, empty file, heading-less post, title from the first heading or file name', () => {
    expect(parseFile({ relPath: 'e.md', docId: 'e', content: '---\ntitle: Empty\n---\n' })).toMatchObject({
      blocks: [],
      meta: { title: 'Empty' },
    });
    expect(parseFile({ relPath: 'z.md', docId: 'z', content: '' })).toMatchObject({ blocks: [], meta: { title: 'z', type: 'post' } });
    expect(parseFile({ relPath: 'n.mdx', docId: 'n', content: 'Just text.\n' }).meta.title).toBe('n');
    expect(parseFile({ relPath: 'h.markdown', docId: 'h', content: 'Intro\n\n## First *heading*\n\ntext' }).meta.title).toBe(
      'First heading',
    );
  });

  it('.txt without turns: paragraphs split on blank lines, type text', () => {
    const content = 'First para\nstill first.\n\nSecond.\n';
    const doc = parseFile({ relPath: 'notes.txt', docId: 'n', content });
    expect(doc.meta).toMatchObject({ type: 'text', title: 'notes' });
    expect(doc.blocks.map((b) => [b.kind, content.slice(b.start, b.end)])).toEqual([
      ['paragraph', 'First para\nstill first.'],
      ['paragraph', 'Second.'],
    ]);
  });

  it('survives hostile markdown without throwing', () => {
    const nasty = [
      '<!-- unclosed comment',
      '```',
      '::::: {#x',
      '[^1]: footnote',
      '| a |\n|---|\n| b |',
      '<div><span>',
      '\\'.repeat(1000),
      '*'.repeat(5000),
      '[link](' + '('.repeat(500),
      '# '.repeat(200),
    ].join('\n\n');
    const doc = parseFile({ relPath: 'n.md', docId: 'n', content: nasty });
    for (const b of doc.blocks) expect(b.end).toBeGreaterThan(b.start);
  });
});
