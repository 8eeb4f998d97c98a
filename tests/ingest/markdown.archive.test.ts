import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/ingest/frontmatter.js';
import { markdownBlocks } from '../../src/ingest/markdown.js';
import { bookFiles, interconnectsFiles } from './helpers.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('markdownBlocks on the real archive', () => {
  it('the piecewise fast path gives exactly the blocks of one whole remark parse', () => {
    // Whole-document remark parses are slow (~1 MB/s): the book plus every third post.
    const sample = [...interconnectsFiles().filter((_, i) => i % 3 === 0), ...bookFiles()];
    for (const f of sample) {
      const fm = readFrontMatter(f.content, f.rel);
      const fast = markdownBlocks(f.content, fm.bodyOffset, f.content.length);
      const whole = markdownBlocks(f.content, fm.bodyOffset, f.content.length, [], { wholeParse: true });
      // Compare as strings: deep-equality over ~12k blocks is needlessly slow.
      expect(JSON.stringify(fast.blocks), f.rel).toBe(JSON.stringify(whole.blocks));
    }
  });

  it('drops YouTube player chrome so it neither becomes text nor a heading', () => {
    const dean = interconnectsFiles().find((f) => f.rel.includes('2024-06-27-interviewingdeanball'));
    expect(dean).toBeDefined();
    const c = dean?.content ?? '';
    const { blocks } = markdownBlocks(c, readFrontMatter(c, 'dean').bodyOffset, c.length);
    const texts = blocks.map((b) => c.slice(b.start, b.end));
    expect(texts.some((t) => t.includes('An error occurred'))).toBe(false);
    expect(texts.some((t) => t.includes('Try watching this video'))).toBe(false);
    expect(blocks.find((b) => c.slice(b.start, b.end) === '### Chapters')?.headingPath).toEqual(['Chapters']);
  });
});
