import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/ingest/frontmatter.js';

describe('readFrontMatter', () => {
  it('reads YAML and gives the body offset in the original text', () => {
    const text = '---\ntitle: Hello\ntags: [a, b]\n---\n# Body\n';
    const fm = readFrontMatter(text, 'a.md');
    expect(fm.format).toBe('yaml');
    expect(fm.data).toEqual({ title: 'Hello', tags: ['a', 'b'] });
    expect(text.slice(fm.bodyOffset)).toBe('# Body\n');
    expect(fm.warnings).toEqual([]);
  });

  it('reads TOML front matter with smol-toml', () => {
    const text = '+++\ntitle = "Toml post"\ndate = 2024-03-01\ntags = ["x", "y"]\n+++\nBody text.\n';
    const fm = readFrontMatter(text, 't.md');
    expect(fm.format).toBe('toml');
    expect(fm.data['title']).toBe('Toml post');
    expect(fm.data['tags']).toEqual(['x', 'y']);
    // Fields come back JSON-safe: a TOML date is its ISO form.
    expect(fm.data['date']).toBe('2024-03-01');
    expect(text.slice(fm.bodyOffset)).toBe('Body text.\n');
  });

  it('skips a leading HTML comment before the front matter, keeping offsets', () => {
    const text = '<!--\n  Copyright (c) 2025\n-->\n---\npage-title: Intro\n---\n\n# Intro\n';
    const fm = readFrontMatter(text, 'c.md');
    expect(fm.data).toEqual({ 'page-title': 'Intro' });
    expect(text.slice(fm.bodyOffset)).toBe('\n# Intro\n');
  });

  it('leaves text without front matter alone (a comment without front matter stays in the body)', () => {
    expect(readFrontMatter('# Title\n', 'x.md')).toMatchObject({ bodyOffset: 0, format: null, data: {} });
    expect(readFrontMatter('<!-- c -->\n# Title\n', 'x.md').bodyOffset).toBe(0);
    // `---` without a closing line is a thematic break, not front matter.
    expect(readFrontMatter('---\nno closing\n', 'x.md').bodyOffset).toBe(0);
    expect(readFrontMatter('', 'x.md').bodyOffset).toBe(0);
  });

  it('handles CRLF, a BOM and an empty block', () => {
    const crlf = '\ufeff---\r\ntitle: Win\r\n---\r\nBody\r\n';
    const fm = readFrontMatter(crlf, 'w.md');
    expect(fm.data['title']).toBe('Win');
    expect(crlf.slice(fm.bodyOffset)).toBe('Body\r\n');
    const empty = '---\n---\nBody';
    expect(readFrontMatter(empty, 'e.md')).toMatchObject({ data: {}, bodyOffset: 8 });
  });

  it('recovers broken YAML line by line and names file and line', () => {
    const text = '---\ntitle: ""Quoted "twice"""\nsubtitle: "fine"\ndate: 2020-06-12\ntags:\n  - one\n  - "two"\n---\nBody';
    const fm = readFrontMatter(text, 'posts/bad.md');
    expect(fm.recovered).toBe(true);
    expect(fm.data).toMatchObject({ title: '"Quoted "twice""', subtitle: 'fine', date: '2020-06-12', tags: ['one', 'two'] });
    expect(fm.warnings).toHaveLength(1);
    expect(fm.warnings[0]).toMatch(/^posts\/bad\.md:2: .*`title`/);
    expect(text.slice(fm.bodyOffset)).toBe('Body');
  });

  it('recovers broken TOML too', () => {
    const fm = readFrontMatter('+++\ntitle = "ok"\nbad = = 1\n+++\nBody', 'b.md');
    expect(fm.recovered).toBe(true);
    expect(fm.data['title']).toBe('ok');
    expect(fm.warnings[0]).toMatch(/^b\.md:\d+: front matter is not valid TOML/);
  });
});
