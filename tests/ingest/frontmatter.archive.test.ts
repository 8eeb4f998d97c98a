import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/ingest/frontmatter.js';
import { bookFiles, interconnectsFiles } from './helpers.js';
import { has } from '../helpers/resources.js';

const BROKEN = [
  'interconnects/public/2020/2020-06-12-10yearsofautomationin1year.md',
  'interconnects/public/2023/2023-02-20-aialignmentanduncalibrateddiscourseonai.md',
  'interconnects/public/2023/2023-07-26-ifitsnotfullyclosedmlitsopen-isit.md',
  'interconnects/public/2023/2023-10-18-undoingrlhfandthebrittlenessofsafellms.md',
  'interconnects/public/2024/2024-06-12-aifortherestofus.md',
  'interconnects/public/2024/2024-08-16-onnoushermes3andclassifyingafrontiermodel.md',
  'interconnects/public/2024/2024-12-04-openaiso1usingsearchwasapsyop.md',
  'interconnects/public/2025/2025-02-28-gpt-45notafrontiermodel.md',
  'interconnects/public/2025/2025-07-14-kimik2andwhendeepseekmomentsbecomenormal.md',
  'interconnects/public/2024/2024-12-05-interviewingfinbarrtimbersonthewearesobackeraofrei.md',
];

describe.skipIf(!has('sharedData'))('readFrontMatter on the real archive', () => {
  it('recovers title and date of the 10 files strict YAML rejects, with a warning naming file and line', () => {
    const byRel = new Map(interconnectsFiles().map((f) => [f.rel, f.content]));
    for (const rel of BROKEN) {
      const content = byRel.get(rel);
      expect(content, rel).toBeDefined();
      const fm = readFrontMatter(content ?? '', rel);
      expect(fm.recovered, rel).toBe(true);
      expect(typeof fm.data['title']).toBe('string');
      expect(fm.data['date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(fm.warnings).toHaveLength(1);
      // The line of the bad field: `title` is line 2, `subtitle` line 3.
      const line = Number(/^[^:]+:(\d+):/.exec(fm.warnings[0] ?? '')?.[1]);
      expect(fm.warnings[0]?.startsWith(`${rel}:`)).toBe(true);
      const field = /`(\w+)`/.exec(fm.warnings[0] ?? '')?.[1];
      expect(content?.split('\n')[line - 1]?.startsWith(`${field}:`)).toBe(true);
    }
    const first = readFrontMatter(byRel.get(BROKEN[0] ?? '') ?? '', 'x');
    expect(first.data['title']).toBe('"10 years of automation in 1 year"');
  });

  it('parses every other interconnects file strictly', () => {
    const strict = interconnectsFiles().filter((f) => !BROKEN.includes(f.rel));
    expect(strict).toHaveLength(186);
    for (const f of strict) {
      const fm = readFrontMatter(f.content, f.rel);
      expect(fm.warnings, f.rel).toEqual([]);
      expect(fm.data['title'], f.rel).toBeTruthy();
      expect(f.content.slice(fm.bodyOffset - 4, fm.bodyOffset)).toBe('---\n');
    }
  });

  it('finds the book front matter behind the copyright comment', () => {
    const files = bookFiles();
    expect(files).toHaveLength(21);
    for (const f of files) {
      const fm = readFrontMatter(f.content, f.rel);
      expect(fm.warnings, f.rel).toEqual([]);
      expect(fm.data['page-title'], f.rel).toBeTruthy();
      expect(f.content.slice(0, fm.bodyOffset)).toContain('<!--');
      expect(f.content.slice(fm.bodyOffset)).not.toContain('Copyright (c)');
    }
    const intro = files.find((f) => f.rel.endsWith('01-introduction.md'));
    const fm = readFrontMatter(intro?.content ?? '', 'intro');
    expect(fm.data).toMatchObject({ 'page-title': 'Introduction', 'search-title': 'Chapter 1: Introduction' });
    expect(Array.isArray(fm.data['lectures'])).toBe(true);
  });
});
