/**
 * Hostile input to the parsers (issue 13, D3 D4 D7 D12 and JSONL nesting): each case ends fast, with a
 * one-line warning naming the file and line, and the rest of the document still indexed.
 */
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/embed/embedder.js';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { readFrontMatter } from '../../src/ingest/frontmatter.js';
import { MAX_NESTING, MAX_PIECE_CHARS, markdownBlocks } from '../../src/ingest/markdown.js';
import { parseFile, parseJsonl } from '../../src/ingest/parse.js';
import { ALIAS_BOMB, nestedList } from './fixtures.js';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

describe('YAML aliases in front matter (D3, D4)', () => {
  it('cuts a 400-byte alias bomb at the value limit in milliseconds, warning with file and line', () => {
    expect(Buffer.byteLength(ALIAS_BOMB)).toBeLessThan(400);
    const { value: fm, ms } = timed(() => readFrontMatter(ALIAS_BOMB, 'posts/bomb.md'));
    expect(ms).toBeLessThan(2000);
    expect(fm.data['title']).toBe('Bomb');
    expect(JSON.stringify(fm.data).length).toBeLessThan(200_000);
    expect(fm.warnings).toEqual([expect.stringMatching(/^posts\/bomb\.md:1: front matter fields expand to more than 10000 values/)]);
    expect(ALIAS_BOMB.slice(fm.bodyOffset)).toBe('Body text of the bomb.\n');
    const doc = parseFile({ relPath: 'posts/bomb.md', docId: 'posts/bomb.md', content: ALIAS_BOMB });
    expect(doc.meta.title).toBe('Bomb');
    expect(doc.warnings).toHaveLength(1);
    expect(doc.source.slice(doc.blocks[0]?.start, doc.blocks[0]?.end)).toBe('Body text of the bomb.');
  });

  it('cuts a self-referencing alias at the depth limit instead of overflowing the stack', () => {
    for (const text of ['---\ntitle: Loop\na: &a [*a]\n---\nBody\n', '---\ntitle: Loop\na: &a\n  b: *a\n---\nBody\n']) {
      const fm = readFrontMatter(text, 'loop.md');
      expect(fm.data['title']).toBe('Loop');
      expect(fm.warnings).toEqual([expect.stringMatching(/^loop\.md:1: front matter fields nest deeper than 32 levels/)]);
    }
  });

  it('bounds a JSONL record nested 100,000 levels deep the same way, naming the line', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const content = `${JSON.stringify({ id: 'ok', text: 'Fine.' })}\n{"id":"deep","text":"Deep record.","x":${deep}}\n`;
    const { docs, errors } = parseJsonl({ relPath: 'export.jsonl', content });
    expect(errors).toEqual([]);
    expect(docs.map((d) => d.meta.docId)).toEqual(['ok', 'deep']);
    expect(docs[1]?.warnings).toEqual([expect.stringMatching(/^export\.jsonl:2: record fields nest deeper than 32 levels/)]);
  });
});

describe('deeply nested markdown (D7)', () => {
  it('indexes a 2,000-level nested list (4 MB) as plain paragraphs in well under a second, with a warning', () => {
    const content = nestedList(2000);
    expect(content.length).toBeGreaterThan(4_000_000);
    const { value: doc, ms } = timed(() => parseFile({ relPath: 'deep.md', docId: 'deep.md', content }));
    expect(ms).toBeLessThan(3000);
    // The first line nested deeper than the limit: line 5 is nested 1 deep, line 5 + 32 is 33 deep.
    expect(doc.warnings).toEqual([
      `deep.md:${5 + MAX_NESTING}: lists or quotes nest more than ${MAX_NESTING} levels deep; indexed as plain paragraphs`,
    ]);
    const texts = doc.blocks.map((b) => content.slice(b.start, b.end));
    expect(texts[0]).toBe('# Deep');
    expect(texts[1]).toBe('Before the list.');
    expect(texts.at(-1)).toBe('After the list.');
    const chunks = chunkDocument(doc, { maxTokens: 320, overlapTokens: 40 }, estimateTokens);
    for (const c of chunks) expect(c.text).toBe(content.slice(c.start, c.end));
  });

  it('keeps ordinary nesting structured (a list 10 levels deep is one list block)', () => {
    const content = nestedList(10);
    const { blocks, notes } = markdownBlocks(content, 0, content.length);
    expect(notes).toEqual([]);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'paragraph']);
  });

  it('indexes a block remark is slow on (20,000 setext headings, a 5,000-column table) as plain paragraphs, fast', () => {
    const setext = Array.from({ length: 20_000 }, (_, i) => `Heading ${i}\n===`).join('\n');
    const row = (cell: string) => `| ${Array(5000).fill(cell).join(' | ')} |`;
    const table = [row('h'), `|${'---|'.repeat(5000)}`, ...Array.from({ length: 50 }, () => row('x'))].join('\n');
    for (const [name, body] of [
      ['setext.md', setext],
      ['table.md', table],
    ] as const) {
      const content = `# Title\n\nIntro.\n\n${body}\n`;
      const { value: doc, ms } = timed(() => parseFile({ relPath: name, docId: name, content }));
      expect(ms).toBeLessThan(3000);
      expect(doc.warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${name}:5: \\d+ KB of structured markdown without a blank line to split it \\(over ${MAX_PIECE_CHARS / 1024} KB\\); indexed as plain paragraphs$`,
          ),
        ),
      ]);
      expect(doc.blocks.at(-1)?.end).toBe(content.length - 1);
    }
  });

  it('stops handing pieces to remark once the time budget is spent', () => {
    const content = Array.from({ length: 50 }, (_, i) => `- a ${i}\n\n  more ${i}`).join('\n\n# H\n\n');
    const { blocks, notes } = markdownBlocks(content, 0, content.length, [], { budgetMs: 0 });
    expect(notes).toEqual([{ line: 1, message: 'markdown parsing took over 0 s; the rest is indexed as plain paragraphs' }]);
    for (const b of blocks) expect(b.end).toBeGreaterThan(b.start);
  });
});
