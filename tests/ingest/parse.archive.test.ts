import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse.js';
import { bookFiles, interconnectsFiles } from './helpers.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('parseFile on the real archive', () => {
  it('parses all 196 posts and 21 chapters without throwing; blocks are ordered, in range, non-empty', () => {
    const files = [...interconnectsFiles(), ...bookFiles()];
    expect(files.filter((f) => f.rel.startsWith('interconnects/'))).toHaveLength(196);
    expect(files.filter((f) => f.rel.startsWith('rlhf-book/'))).toHaveLength(21);
    const problems: string[] = [];
    for (const f of files) {
      const doc = parseFile({ relPath: f.rel, docId: f.rel, content: f.content });
      let prevEnd = 0;
      for (const b of doc.blocks) {
        if (b.start < prevEnd || b.end <= b.start || b.end > f.content.length) problems.push(`${f.rel}: block ${b.start}-${b.end}`);
        prevEnd = b.end;
      }
      if (!doc.meta.title) problems.push(`${f.rel}: no title`);
      if (f.rel.startsWith('interconnects/') && !/^\d{4}-\d{2}-\d{2}$/.test(doc.meta.date ?? ''))
        problems.push(`${f.rel}: date ${doc.meta.date}`);
      if (JSON.stringify(JSON.parse(JSON.stringify(doc.meta.extra))) !== JSON.stringify(doc.meta.extra))
        problems.push(`${f.rel}: extra not JSON-safe`);
    }
    expect(problems).toEqual([]);
  });

  it('book chapters: chapters with number and title without any flag, every front-matter field in extra, copyright comment not a block', () => {
    for (const f of bookFiles()) {
      const doc = parseFile({ relPath: f.rel, docId: f.rel, content: f.content });
      expect(doc.meta.title, f.rel).toBe(String(doc.meta.extra['page-title']).replace(/^Appendix [A-Z]: /, ''));
      // The references stub says nothing about being a chapter.
      expect(doc.meta.type, f.rel).toBe(f.rel.includes('appendix-00') ? 'post' : 'chapter');
      if (!f.rel.includes('appendix')) expect(doc.meta.chapter, f.rel).toBe(String(Number(/(\d+)-/.exec(f.rel)?.[1])));
      // The references stub has only `page-title`.
      if (!f.rel.includes('appendix-00'))
        expect(Object.keys(doc.meta.extra), f.rel).toEqual(expect.arrayContaining(['page-title', 'search-title']));
      expect(
        doc.blocks.some((b) => f.content.slice(b.start, b.end).includes('Copyright (c)')),
        f.rel,
      ).toBe(false);
    }
    const intro = bookFiles().find((f) => f.rel.endsWith('01-introduction.md'));
    const doc = parseFile({ relPath: intro?.rel ?? '', docId: 'intro', content: intro?.content ?? '' });
    expect(doc.meta).toMatchObject({
      title: 'Introduction',
      subtitle: expect.stringContaining('first-principles'),
      type: 'chapter',
      chapter: '1',
    });
    expect(doc.meta.extra['lectures']).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'Lecture 0: Prerequisites' })]));
  });

  it('the broken-front-matter posts keep title and date and report a warning', () => {
    const f = interconnectsFiles().find((x) => x.rel.includes('2025-07-14-kimik2'));
    const doc = parseFile({ relPath: f?.rel ?? '', docId: 'k', content: f?.content ?? '' });
    expect(doc.meta.date).toBe('2025-07-14');
    expect(doc.meta.title).toMatch(/Kimi K2/);
    expect(doc.warnings[0]).toMatch(/2025-07-14-kimik2andwhendeepseekmomentsbecomenormal\.md:2: .*`title` on line 2.*`subtitle` on line 3/);
  });
});
