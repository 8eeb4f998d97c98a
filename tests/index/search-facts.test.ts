import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchFactsProblems } from '../../scripts/lib/index-integrity.js';
import { ingest } from '../../src/ingest/ingest.js';
import { removeRoot } from '../../src/ingest/remove-root.js';
import { documentTitles } from '../../src/index/chunk-search.js';
import { IndexStore, parseTitles, TITLES_INLINE_MAX, titlesValue } from '../../src/index/store.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

/**
 * What a search takes from the meta table instead of the tables (the speakers, the titles, the n-gram index's
 * presence) must stay what the tables hold through every kind of change an ingest makes.
 */

let work: string;
let blog: string;
let talks: string;
let index: string;

const INTERVIEW = 'posts/2024/2024-05-14-interview-ines-okafor.md';
const RENAMED = 'posts/2022/2022-03-15-keep-a-research-log.md';
const DELETED = 'posts/2023/2023-06-06-the-benchmark-treadmill.md';

beforeAll(() => {
  work = tempDir();
  blog = path.join(work, 'blog');
  cpSync(CORPUS, blog, { recursive: true });
  talks = path.join(work, 'talks');
  mkdirSync(talks);
  const turns = ['Olu Brandt', 'Mara Quill', 'Olu Brandt', 'Mara Quill'].map((name, i) => turn(name, i));
  writeFileSync(
    path.join(talks, 'panel.md'),
    `---\ntitle: A panel on evals\ntype: podcast\n---\n\n## Transcript\n\n${turns.join('\n\n')}\n`,
  );
  index = path.join(work, 'index');
});

/** A turn long enough to be a chunk of its own (`MIN_TURN_TOKENS`). */
function turn(name: string, i: number): string {
  const words = 'evals age faster than the models they measure so every year we write new ones and retire the old'.split(' ');
  return `**${name}** [00:0${i}:00]: ${Array.from({ length: 40 }, (_, j) => words[(i + j) % words.length]).join(' ')}.`;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The published facts, after checking them against the tables. */
async function facts(): Promise<{ speakers: string[]; titles: Map<string, string>; charGrams: boolean }> {
  const store = await IndexStore.open(index);
  try {
    expect(await searchFactsProblems(store)).toEqual([]);
    return await store.read(async (s) => ({
      speakers: [...s.facts.speakers].sort(),
      titles: new Map((await documentTitles(s)).map((t) => [t.docId, t.title])),
      charGrams: s.facts.charGrams,
    }));
  } finally {
    store.close();
  }
}

const ingestBoth = (rebuild = false) => ingest({ roots: [blog, talks], index, embedder: null, rebuild });

describe('the search facts in the meta table (LanceDB on disk)', () => {
  it('name the speakers, titles and n-gram index of a new index', async () => {
    await ingestBoth();
    const f = await facts();
    expect(f.speakers).toEqual(['Devika Raman', 'Ines Okafor', 'Mara Quill', 'Olu Brandt']);
    expect(f.titles.get('talks/panel.md')).toBe('A panel on evals');
    expect(f.titles.get(`blog/${RENAMED}`)).toBe('Keep a research log, not a lab notebook');
    expect(f.charGrams).toBe(true);
  });

  it('follow an edit that adds a speaker, a renamed title and a deleted document', async () => {
    const interview = path.join(blog, INTERVIEW);
    writeFileSync(interview, `${readFileSync(interview, 'utf8')}\n${turn('Sam Ortiz', 9)}\n`);
    const renamed = path.join(blog, RENAMED);
    writeFileSync(renamed, readFileSync(renamed, 'utf8').replace(/^title: .*$/m, 'title: "Keep a research log, renamed"'));
    rmSync(path.join(blog, DELETED));
    const report = await ingestBoth();
    expect(report).toMatchObject({ updated: 2, removed: 1 });
    const f = await facts();
    expect(f.speakers).toContain('Sam Ortiz');
    expect(f.titles.get(`blog/${RENAMED}`)).toBe('Keep a research log, renamed');
    expect(f.titles.has(`blog/${DELETED}`)).toBe(false);
  });

  it('follow an edit that removes a speaker’s last turn', async () => {
    const interview = path.join(blog, INTERVIEW);
    writeFileSync(interview, readFileSync(interview, 'utf8').replace(`\n${turn('Sam Ortiz', 9)}\n`, ''));
    await ingestBoth();
    expect((await facts()).speakers).not.toContain('Sam Ortiz');
  });

  it('are made anew by --rebuild and follow a root’s removal', async () => {
    const before = await facts();
    await ingestBoth(true);
    expect(await facts()).toEqual(before);
    await removeRoot(index, 'talks');
    const f = await facts();
    expect(f.speakers).not.toContain('Olu Brandt');
    expect(f.speakers).toContain('Mara Quill');
    expect(f.titles.has('talks/panel.md')).toBe(false);
  });

  it('leave the titles of a very large index to the documents table', () => {
    const few = new Map([['a.md', 'A title']]);
    expect(parseTitles(titlesValue(few) as string)).toEqual([{ docId: 'a.md', title: 'A title' }]);
    const many = new Map(Array.from({ length: TITLES_INLINE_MAX + 1 }, (_, i) => [`${i}.md`, `Title ${i}`] as [string, string]));
    expect(titlesValue(many)).toBeNull();
  });
});
