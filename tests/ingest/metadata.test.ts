import { TomlDate } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { buildMeta, fileTitle, jsonSafe, normaliseDate, normaliseType } from '../../src/ingest/metadata.js';

const base = { docId: 'd', relPath: 'posts/2024-01-02-hello-world.md', firstHeading: null, hasTurns: false, defaultType: 'post' as const };

describe('buildMeta', () => {
  it('normalises the usual fields and keeps every raw field JSON-safe in extra', () => {
    const meta = buildMeta({
      ...base,
      fields: {
        title: '  A   title ',
        subtitle: 'Sub',
        date: new Date(Date.UTC(2024, 0, 2)),
        canonical_url: 'https://example.com/p/x',
        type: 'newsletter',
        tags: ['rl', 'llm'],
        keywords: 'open, models',
        categories: ['rl'],
        author: 'Nathan Lambert and Riley Goodside',
        sent: new Date('2024-01-02T13:27:09.634Z'),
        nested: { when: new Date(Date.UTC(2020, 5, 12)), n: Number.NaN },
      },
    });
    expect(meta).toMatchObject({
      title: 'A title',
      subtitle: 'Sub',
      date: '2024-01-02',
      url: 'https://example.com/p/x',
      type: 'post',
      tags: ['rl', 'llm', 'open', 'models'],
      authors: ['Nathan Lambert', 'Riley Goodside'],
    });
    expect(meta.extra).toEqual({
      title: '  A   title ',
      subtitle: 'Sub',
      date: '2024-01-02',
      canonical_url: 'https://example.com/p/x',
      type: 'newsletter',
      tags: ['rl', 'llm'],
      keywords: 'open, models',
      categories: ['rl'],
      author: 'Nathan Lambert and Riley Goodside',
      sent: '2024-01-02T13:27:09.634Z',
      nested: { when: '2020-06-12', n: null },
    });
    expect(JSON.parse(JSON.stringify(meta.extra))).toEqual(meta.extra);
  });

  it('falls back to the first heading, then the file name', () => {
    expect(buildMeta({ ...base, fields: {}, firstHeading: 'Heading' }).title).toBe('Heading');
    expect(buildMeta({ ...base, fields: { title: '' } }).title).toBe('2024-01-02-hello-world');
    expect(buildMeta({ ...base, fields: { 'page-title': 'Book chapter' }, firstHeading: 'H' }).title).toBe('Book chapter');
    expect(buildMeta({ ...base, fields: {}, fallbackTitle: null }).title).toBeNull();
  });

  it('takes url from permalink/link/slug and authors from lists of names or objects', () => {
    expect(buildMeta({ ...base, fields: { slug: 'hello-world' } }).url).toBe('hello-world');
    expect(buildMeta({ ...base, fields: { permalink: '/p/1', slug: 's' } }).url).toBe('/p/1');
    expect(buildMeta({ ...base, fields: { authors: [{ name: 'A B' }, 'C D'] } }).authors).toEqual(['A B', 'C D']);
  });
});

describe('normaliseDate', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/03/05', '2024-03-05'],
    ['2024-03-05 10:11', '2024-03-05T10:11'],
    ['2024-03-05T10:11:12Z', '2024-03-05T10:11:12Z'],
    ['March 5, 2024', '2024-03-05'],
    ['not a date', null],
    ['2024-13-45', null],
    [42, null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDate(input)).toBe(expected);
  });

  it('handles JS and TOML dates', () => {
    expect(normaliseDate(new Date(Date.UTC(2020, 5, 12)))).toBe('2020-06-12');
    expect(normaliseDate(new Date('2020-06-12T13:27:09.634Z'))).toBe('2020-06-12T13:27:09.634Z');
    expect(normaliseDate(new TomlDate('2020-06-12'))).toBe('2020-06-12');
    expect(normaliseDate(new Date('nope'))).toBeNull();
  });
});

describe('normaliseType', () => {
  it('decides by content first, then by a transcript-like front matter type', () => {
    expect(normaliseType('podcast', true, 'post')).toBe('transcript');
    expect(normaliseType('podcast', false, 'post')).toBe('post');
    expect(normaliseType('newsletter', false, 'post')).toBe('post');
    expect(normaliseType('Interview', false, 'post')).toBe('transcript');
    expect(normaliseType(undefined, false, 'text')).toBe('text');
    expect(normaliseType('post', false, 'record')).toBe('post');
    expect(normaliseType('paper', false, 'record')).toBe('record');
  });
});

describe('helpers', () => {
  it('fileTitle strips folders and the extension', () => {
    expect(fileTitle('a/b/c.test.md')).toBe('c.test');
    expect(fileTitle('.hidden')).toBe('.hidden');
  });

  it('jsonSafe converts bigints and drops functions', () => {
    expect(jsonSafe({ a: 10n, b: 2n ** 70n, f: () => 1, u: undefined, arr: [undefined, 1] })).toEqual({
      a: 10,
      b: (2n ** 70n).toString(),
      arr: [null, 1],
    });
  });
});
