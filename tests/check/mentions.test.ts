import { describe, expect, it } from 'vitest';
import type { DocumentRow } from '../../src/index/schema.js';
import { findDraftLinks } from '../../src/text/draft-marks.js';
import { splitDraft } from '../../src/text/draft.js';
import { LinkResolver } from '../../src/index/link-graph.js';
import { buildCatalog, findMentions } from '../../src/tools/mentions.js';

/** Just the fields mentions and the link resolver read; the rest of a row does not matter here. */
function row(docId: string, title: string, type: string, extra: Partial<DocumentRow> = {}): DocumentRow {
  const [root = '', ...rest] = docId.split('/');
  return {
    doc_id: docId,
    root,
    rel_path: rest.join('/'),
    title,
    type,
    url: null,
    date: null,
    chapter: null,
    people: '[]',
    extra: '{}',
    ...extra,
  } as DocumentRow;
}
const guest = (name: string) =>
  JSON.stringify([
    { name: 'Mara Quill', role: 'host' },
    { name, role: 'guest' },
  ]);

const rows = [
  row('site/taylor-2024.md', 'Interviewing Ross Taylor on LLM reasoning, Galactica, agents', 'interview', {
    people: guest('Ross Taylor'),
    url: 'https://www.example.com/p/taylor-2024',
  }),
  row('site/taylor-2025.md', 'Interviewing Ross Taylor on Chinese open models and tools', 'interview', {
    people: guest('Ross Taylor'),
    url: 'https://www.example.com/p/taylor-2025',
  }),
  row('site/calibration.md', 'What calibration actually measures', 'post', { url: 'https://www.example.com/p/what-calibration-measures' }),
  row('book/05-reward-models.md', 'Reward Modeling', 'chapter', { chapter: '5' }),
  row('book/14-over-optimization.md', 'Over-Optimization', 'chapter', { chapter: '14' }),
];
const catalog = buildCatalog(rows);
const resolver = new LinkResolver(rows, []);

async function mentionsOf(text: string) {
  const paragraphs = splitDraft(text);
  return (
    await findMentions(paragraphs, findDraftLinks(paragraphs), {
      catalog,
      evidence: () => 0,
      resolveLink: (url) => resolver.resolve(url),
    })
  ).map((m) => ({
    p: m.paragraph,
    kind: m.kind,
    status: m.status,
    docId: m.docId,
    anchor: m.anchor.text,
    alternatives: m.alternatives,
  }));
}

describe('mentions of the author’s own work', () => {
  it('a guest with two interviews: the paragraph’s words pick one, or the mention is ambiguous', async () => {
    expect(await mentionsOf('My interview with Ross Taylor went deep on Galactica and reasoning.')).toEqual([
      { p: 0, kind: 'cue', status: 'resolved', docId: 'site/taylor-2024.md', anchor: 'interview with Ross Taylor', alternatives: [] },
    ]);
    expect((await mentionsOf('My interview with Ross Taylor was a lot of fun.'))[0]).toMatchObject({
      status: 'ambiguous',
      alternatives: [expect.stringMatching(/^site\/taylor-202[45]\.md$/)],
    });
  });

  it('book chapters by topic or number; titles in prose in any case', async () => {
    expect(await mentionsOf('The book’s chapter on reward models has the loss.\nSee chapter 14 for the curves.')).toEqual([
      expect.objectContaining({ p: 0, docId: 'book/05-reward-models.md' }),
      expect.objectContaining({ p: 1, docId: 'book/14-over-optimization.md', anchor: 'chapter 14' }),
    ]);
    expect(await mentionsOf('I keep asking WHAT CALIBRATION ACTUALLY MEASURES, and it matters.')).toEqual([
      expect.objectContaining({ kind: 'title', docId: 'site/calibration.md', anchor: 'WHAT CALIBRATION ACTUALLY MEASURES' }),
    ]);
  });

  it('a cue with nothing to match is reported unresolved, unless the cue is common outside own work', async () => {
    expect(await mentionsOf('In my post on sourdough starters I explained hydration.')).toEqual([
      expect.objectContaining({ kind: 'cue', status: 'unresolved', docId: null }),
    ]);
    expect(await mentionsOf('I talked to my editor about deadlines at length yesterday.')).toEqual([]);
  });

  it('links to own URLs resolve through query strings, www and trailing slashes; unknown post URLs are flagged; other pages ignored', async () => {
    const found = await mentionsOf(
      'See [this](http://example.com/p/what-calibration-measures/?ref=1), https://www.example.com/p/gone, https://example.com/about and https://other.org/p/x.',
    );
    expect(found.map((m) => [m.kind, m.status, m.docId])).toEqual([
      ['link', 'resolved', 'site/calibration.md'],
      ['link', 'unknown_link', null],
    ]);
  });
});
