import { TomlDate } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { RootSettings } from '../../src/core/types.js';
import {
  buildMeta,
  expandUrlTemplate,
  fileTitle,
  isShortForm,
  jsonSafe,
  normaliseDate,
  normaliseType,
  speakerRoles,
} from '../../src/ingest/metadata.js';

const base = { docId: 'd', relPath: 'posts/2024-01-02-hello-world.md', firstHeading: null, kind: 'markdown' as const };
const root = (over: Partial<RootSettings>): RootSettings => ({
  name: 'r',
  path: '/r',
  urlTemplate: null,
  book: null,
  author: null,
  publication: null,
  ...over,
});

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

  it('takes only absolute urls from the front matter, and authors from lists of names or objects', () => {
    expect(buildMeta({ ...base, fields: { slug: 'hello-world' } }).url).toBeNull();
    expect(buildMeta({ ...base, fields: { permalink: '/p/1', link: 'https://x.org/1' } }).url).toBe('https://x.org/1');
    expect(buildMeta({ ...base, fields: { authors: [{ name: 'A B' }, 'C D'] } }).authors).toEqual(['A B', 'C D']);
  });

  it('fills the root URL template; a front matter url wins', () => {
    const r = root({ urlTemplate: 'https://www.interconnects.ai/p/{slug}' });
    const substack = { post_id: '165344478.how-i-write', date: '2025-06-06' };
    expect(buildMeta({ ...base, fields: substack, root: r }).url).toBe('https://www.interconnects.ai/p/how-i-write');
    expect(buildMeta({ ...base, fields: { slug: 'given' }, root: r }).url).toBe('https://www.interconnects.ai/p/given');
    expect(buildMeta({ ...base, fields: {}, root: r }).url).toBe('https://www.interconnects.ai/p/2024-01-02-hello-world');
    expect(buildMeta({ ...base, fields: { ...substack, canonical_url: 'https://a.b/c' }, root: r }).url).toBe('https://a.b/c');
    const doc = { fields: {}, relPath: 'posts/2024/my post.md', date: '2024-03-05' };
    expect(expandUrlTemplate('https://x.org/{path}/{year}/{month}/{day}/{stem}?d={date}&u={unknown}', doc)).toBe(
      'https://x.org/posts/2024/my%20post/2024/03/05/my%20post?d=2024-03-05&u={unknown}',
    );
  });

  it('types book chapters with their number and title, with or without the book flag', () => {
    const chapter = buildMeta({
      ...base,
      relPath: '01-introduction.md',
      fields: { 'page-title': 'Introduction', 'search-title': 'Chapter 1: Introduction' },
    });
    expect(chapter).toMatchObject({ type: 'chapter', chapter: '1', title: 'Introduction', container: null });
    const appendix = buildMeta({
      ...base,
      relPath: 'appendix-a-x.md',
      fields: { 'search-title': 'Appendix A: Definitions' },
      root: root({ book: 'The Book' }),
    });
    expect(appendix).toMatchObject({ type: 'chapter', chapter: 'A', title: 'Definitions', container: 'The Book' });
    const byName = buildMeta({
      ...base,
      relPath: '07-reasoning.md',
      fields: {},
      firstHeading: 'Reasoning',
      root: root({ book: 'B', author: 'N L' }),
    });
    expect(byName).toMatchObject({ type: 'chapter', chapter: '7', title: 'Reasoning', authors: ['N L'] });
    expect(buildMeta({ ...base, relPath: 'refs.md', fields: {}, root: root({ book: 'B' }) })).toMatchObject({
      type: 'chapter',
      chapter: null,
    });
    expect(buildMeta({ ...base, fields: { title: 'Chapter and verse' } }).type).toBe('post');
  });

  it('keeps the front matter type beside the normalised one', () => {
    const m = buildMeta({ ...base, fields: { type: 'podcast' }, speakers: ['Nathan Lambert', 'Ross Taylor'] });
    expect(m).toMatchObject({ type: 'interview', sourceType: 'podcast' });
    expect(buildMeta({ ...base, fields: { type: 'podcast' } })).toMatchObject({ type: 'transcript', sourceType: 'podcast' });
    expect(buildMeta({ ...base, fields: { type: 'newsletter' } })).toMatchObject({ type: 'post', sourceType: 'newsletter' });
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
  it('decides by content first, then by the front matter type', () => {
    expect(normaliseType('podcast', true, 'markdown')).toBe('interview');
    expect(normaliseType('podcast', false, 'markdown')).toBe('transcript');
    expect(normaliseType('newsletter', false, 'markdown')).toBe('post');
    expect(normaliseType('Interview', false, 'markdown')).toBe('interview');
    expect(normaliseType(undefined, true, 'captions')).toBe('transcript');
    expect(normaliseType(undefined, false, 'text')).toBe('text');
    expect(normaliseType('post', false, 'record')).toBe('post');
    expect(normaliseType('paper', false, 'record')).toBe('record');
  });
});

describe('speakers', () => {
  it('tells short forms of a name', () => {
    expect(isShortForm('Riley G.', 'Riley Goodside')).toBe(true);
    expect(isShortForm('Nathan', 'Nathan Lambert')).toBe(true);
    expect(isShortForm('Riley L.', 'Riley Goodside')).toBe(false);
    expect(isShortForm('Riley Goodside', 'Riley Goodside')).toBe(false);
  });

  it('tells the host from guests by the authors, else by the title', () => {
    const speakers = ['Nathan Lambert', 'Ross Taylor'];
    expect(speakerRoles(speakers, ['Nathan Lambert'], 'x')).toEqual([
      { name: 'Nathan Lambert', role: 'host' },
      { name: 'Ross Taylor', role: 'guest' },
    ]);
    expect(speakerRoles(speakers, [], 'Interviewing Ross Taylor on LLM reasoning').map((p) => p.role)).toEqual(['host', 'guest']);
    expect(speakerRoles(speakers, [], 'A chat').map((p) => p.role)).toEqual([null, null]);
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
