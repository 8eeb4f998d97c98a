import { describe, expect, it } from 'vitest';
import { extractLinks, keySegments, templateShape, urlKey } from '../../src/text/links.js';

describe('extractLinks', () => {
  it('finds markdown links, autolinks and bare URLs with their lines, and leaves images out', () => {
    const source = [
      'Intro with [a post](https://www.x.example/p/one "its title") and ![an image](https://www.x.example/p/img).',
      'A bare one: https://x.example/p/two, then <https://x.example/p/three>.',
      'Nested text [**[bold]** words](https://x.example/p/four) and (see https://x.example/p/five).',
      'Relative [file](../2023/a.md#part), [site path](/p/six), [anchor](#top), [mail](mailto:a@b.example).',
      'Embed attrs="{\\"canonical_url\\":\\"https://x.example/p/seven\\",\\"id\\":1}"',
    ].join('\n');
    expect(extractLinks(source)).toEqual([
      { url: 'https://www.x.example/p/one', line: 1, text: 'a post' },
      { url: 'https://x.example/p/two', line: 2, text: null },
      { url: 'https://x.example/p/three', line: 2, text: null },
      { url: 'https://x.example/p/four', line: 3, text: '**[bold]** words' },
      { url: 'https://x.example/p/five', line: 3, text: null },
      { url: '../2023/a.md#part', line: 4, text: 'file' },
      { url: '/p/six', line: 4, text: 'site path' },
      { url: 'https://x.example/p/seven', line: 5, text: null },
    ]);
  });

  it('counts lines from the base it is given, and stays bounded on hostile input', () => {
    expect(extractLinks('\n\nhttps://x.example/a', 10)).toEqual([{ url: 'https://x.example/a', line: 12, text: null }]);
    const flood = 'https://x.example/p/a '.repeat(20_000);
    const t = performance.now();
    expect(extractLinks(flood)).toHaveLength(5_000);
    expect(extractLinks('['.repeat(50_000) + ']('.repeat(50_000))).toEqual([]);
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});

describe('urlKey and templateShape', () => {
  it('gives one key to the forms of one page URL', () => {
    const key = 'x.example/p/how-i-write';
    for (const u of [
      'https://www.x.example/p/how-i-write',
      'http://x.example/p/how-i-write/',
      'https://WWW.X.example/p/how-i-write?utm_source=mail#part',
      '//x.example/p/how-i-write',
      'www.x.example/p/how-i-write',
    ]) {
      expect(urlKey(u), u).toBe(key);
    }
    expect(urlKey('/p/how-i-write')).toBeNull();
    expect(urlKey('https://x.example/p/caf%C3%A9')).toBe('x.example/p/café');
    expect(keySegments(key)).toEqual(['p', 'how-i-write']);
  });

  it("tells the URLs a root's template can make", () => {
    const shape = templateShape('https://www.x.example/p/{slug}');
    expect(shape?.host).toBe('x.example');
    expect(shape?.test(['p', 'anything'])).toBe(true);
    expect(shape?.test(['about'])).toBe(false);
    expect(shape?.test(['p', 'a', 'comments'])).toBe(false);
    const dated = templateShape('https://blog.example/{year}/{month}/{slug}.html');
    expect(dated?.test(['2024', '06', 'post.html'])).toBe(true);
    expect(dated?.test(['2024', 'post.html'])).toBe(false);
    expect(templateShape('https://docs.example/{path}')?.test(['a', 'b', 'c'])).toBe(true);
    expect(templateShape('not a url {slug}')).toBeNull();
  });
});
