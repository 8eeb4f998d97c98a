import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { createToolContext } from '../../src/tools/context.js';
import { timelineTool } from '../../src/tools/timeline.js';
import { callTool } from '../../src/tools/tool.js';
import { REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

const FIXTURE = path.join(REPO, 'tests', 'index', 'fixtures', 'linked-posts', 'posts');

/**
 * The timeline on small invented posts (2023–2025, one of them a year-in-review list) and undated notes: full
 * text only, so which documents mention the topic is plain to see.
 */
describe('timeline', () => {
  let work: string;
  let ctx: ReturnType<typeof createToolContext>;

  beforeAll(async () => {
    work = tempDir('priors-timeline-');
    const posts = path.join(work, 'posts');
    cpSync(FIXTURE, posts, { recursive: true });
    mkdirSync(path.join(posts, 'notes'));
    writeFileSync(
      path.join(posts, 'notes', 'tide-words.md'),
      '# Tide words\n\nNeap tides and spring tides, and why the tide tables name them.\n',
    );
    writeFileSync(path.join(posts, 'notes', 'sand.md'), '# Sand\n\nA note on sand and the tide line.\n');
    const index = path.join(work, 'index');
    await ingest({ roots: [{ path: posts, name: 'tidepool' }], index, embedder: null });
    ctx = createToolContext({ index, onWarning: () => undefined });
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('puts dated documents in order, every year in, undated ones apart, with per-year counts', async () => {
    const out = await callTool(timelineTool, ctx, { topic: 'tide tables' });
    const dates = out.entries.map((e) => e.date);
    expect(dates.every((d) => d !== null)).toBe(true);
    expect(dates).toEqual([...dates].sort());
    expect(out.years.map((y) => y.year)).toEqual([2023, 2024, 2025]);
    for (const y of out.years) expect(y.shown).toBeGreaterThanOrEqual(1);
    expect(out.years.reduce((n, y) => n + y.count, 0)).toBe(out.entries.length);
    expect(out.undated.map((e) => e.docId).sort()).toEqual(['tidepool/notes/sand.md', 'tidepool/notes/tide-words.md']);
    expect(out.undatedCount).toBe(2);
    expect((await callTool(timelineTool, ctx, { topic: 'tide tables', undated: 0 })).undated).toEqual([]);
  });

  it('shows a year-in-review list only after the other documents of its year', async () => {
    const out = await callTool(timelineTool, ctx, { topic: 'tides', limit: 3 });
    const review = 'tidepool/2025/2025-01-15-a-year-of-tides.md';
    expect(out.years.find((y) => y.year === 2025)?.count).toBe(2);
    // One entry per year: 2025's is the field guide, not the review that lists the other posts.
    expect(out.entries.map((e) => e.docId)).toEqual([
      'tidepool/2023/2023-03-01-reading-the-tides.md',
      'tidepool/2024/2024-02-20-storm-season.md',
      'tidepool/2025/2025-03-03-field-guide.md',
    ]);
    const all = await callTool(timelineTool, ctx, { topic: 'tides', limit: 10 });
    expect(all.entries.find((e) => e.docId === review)).toMatchObject({ roundup: true });
    expect(all.entries.at(-1)?.docId).toBe('tidepool/2025/2025-03-03-field-guide.md');
  });

  it('prints a per-year bar and the undated entries apart', async () => {
    const text = timelineTool.toText(await callTool(timelineTool, ctx, { topic: 'tide tables' }));
    expect(text).toMatch(/^"tide tables": \d+ dated documents?, 2 undated\n {2}2023 █+ \d+ \(\d+ shown\)\n {2}2024 █+ \d/);
    expect(text).toContain('\n\nUndated:\n\nundated — Tide words');
  });
});
