/**
 * The editor's desk "done when" (issue 16, item 1) on the real archive, ingested with its URL template: a draft
 * written the way an author writes — one paragraph per line, a post's title named in running prose, a guest's
 * words quoted from memory with an elision — gets the named post and the interview among its top 5
 * documents, with their URLs, and the quote verified with elisions, spoken by the guest; and a host's words
 * credited to his guest are flagged as misattributed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { checkTool, type CheckOutput } from '../../src/tools/check.js';
import { createToolContext } from '../../src/tools/context.js';
import { callTool } from '../../src/tools/tool.js';
import { REPO, SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';
import { loadTestWordVectors, TEST_CACHE } from '../helpers/wordvec.js';

const DRAFT = path.join(REPO, 'tests', 'check', 'fixtures', 'self-play-draft.md');
const RENAISSANCE = 'interconnects/public/2025/2025-02-13-anunexpectedrlrenaissance.md';
const VINITSKY = 'interconnects/public/2025/2025-03-12-interviewingeugenevinitskyonself-playforself-drivi.md';

describe.skipIf(!has('sharedData'))('check on the real archive', { timeout: 300_000 }, () => {
  let ctx: ReturnType<typeof createToolContext>;
  let out: CheckOutput;
  beforeAll(async () => {
    const index = path.join(tempDir('priors-check-'), 'index');
    const embedder = await loadTestWordVectors();
    await ingest({
      roots: [
        { path: path.join(SHARED_DATA, 'interconnects'), urlTemplate: 'https://www.interconnects.ai/p/{slug}', author: 'Nathan Lambert' },
      ],
      index,
      embedder,
    });
    // As `priors check draft.md` reads it: the CLI may read the file its user names.
    ctx = createToolContext({ index, cacheDir: TEST_CACHE, onWarning: () => undefined, fileAccess: 'any' });
    out = await callTool(checkTool, ctx, { path: DRAFT });
  });
  afterAll(() => ctx?.close());

  it('lists the post named in prose and the quoted interview among the top 5 documents, with their URLs', () => {
    const top = out.documents.slice(0, 5);
    expect(top.find((d) => d.docId === RENAISSANCE)).toMatchObject({
      named: true,
      url: 'https://www.interconnects.ai/p/an-unexpected-rl-renaissance',
    });
    expect(top.find((d) => d.docId === VINITSKY)).toMatchObject({
      url: 'https://www.interconnects.ai/p/interviewing-eugene-vinitsky-on-self',
    });
  });

  it('calls the remembered quote verified_with_elisions, spoken by the guest', () => {
    const quotes = out.paragraphs.flatMap((p) => p.quotes);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]!.verdict).toBe('verified_with_elisions');
    expect(quotes[0]!.result).toMatchObject({ speaker: 'Eugene Vinitsky', role: 'guest' });
    expect(quotes[0]!.result.locations[0]).toMatchObject({ docId: VINITSKY, speaker: 'Eugene Vinitsky', role: 'guest' });
    expect(quotes[0]!.result.fragments).toHaveLength(2);
  });

  it("flags the host's words credited to the guest (Nathan Lambert in the Ross Taylor interview)", async () => {
    const draft = 'As Ross Taylor put it, “I think DPO versus PPO is overblown and that’ll kind of be a wash eventually.” I agree.';
    const checked = await callTool(checkTool, ctx, { text: draft });
    const [q] = checked.paragraphs.flatMap((p) => p.quotes);
    expect(q).toMatchObject({ verdict: 'verified', result: { speaker: 'Nathan Lambert', role: 'host' } });
    expect(q!.attribution).toEqual({ drafted: 'Ross Taylor', speaker: 'Nathan Lambert', role: 'host', matches: false });
    expect(checkTool.toText(checked)).toContain(
      'misattributed: the draft credits Ross Taylor, the archive has these words from Nathan Lambert (host)',
    );
  });

  it("resolves the links to the author's own site and flags the one no document has", () => {
    const links = out.paragraphs.flatMap((p) => p.mentions.filter((m) => m.kind === 'link'));
    expect(links.map((l) => [l.status, l.docId])).toEqual([
      ['resolved', 'interconnects/public/2025/2025-01-28-whyreasoningmodelswillgeneralize.md'],
      ['unknown_link', null],
    ]);
    expect(out.linksToAdd.filter((l) => l.reason === 'named').map((l) => l.docId)).toEqual([RENAISSANCE, VINITSKY]);
  });
});
