import { describe, expect, it } from 'vitest';
import { lineAt, lineStarts } from '../../src/text/lines.js';
import { parseFile } from '../../src/ingest/parse.js';
import { interconnectsFiles } from './helpers.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('transcripts in the real archive', () => {
  const parsed = () =>
    interconnectsFiles().map((f) => ({
      rel: f.rel,
      content: f.content,
      doc: parseFile({ relPath: f.rel, docId: f.rel, content: f.content }),
    }));

  it('the 13 interviews are transcripts with many turns; no other post is', () => {
    const all = parsed();
    const interviews = all.filter((p) => p.rel.includes('interviewing'));
    expect(interviews).toHaveLength(13);
    for (const p of interviews) {
      expect(p.doc.meta, p.rel).toMatchObject({ type: 'interview', sourceType: 'podcast' });
      const turns = p.doc.blocks.filter((b) => b.kind === 'turn');
      expect(turns.length, p.rel).toBeGreaterThanOrEqual(30);
      expect(new Set(turns.map((t) => t.speaker)).size, p.rel).toBeGreaterThanOrEqual(2);
      // Ross Taylor 2025 is the one interview written without timestamps.
      if (!p.rel.includes('2025-07-29'))
        expect(turns.filter((t) => t.timestamp !== null).length, p.rel).toBeGreaterThan(0.25 * turns.length);
      // Turn text starts with its speaker label (possibly behind a timestamp or bold markers).
      for (const t of turns) expect(p.content.slice(t.start, t.end).slice(0, 80), p.rel).toContain(t.speaker?.split(' ')[0] ?? '?');
    }
    const others = all.filter((p) => !p.rel.includes('interviewing'));
    expect(others).toHaveLength(183);
    for (const p of others) {
      // The 5 other podcast files are talks or voice-overs: recordings without a conversation.
      expect(p.doc.meta.type, p.rel).toBe(p.doc.meta.sourceType === 'podcast' ? 'transcript' : 'post');
      expect(
        p.doc.blocks.some((b) => b.kind === 'turn'),
        p.rel,
      ).toBe(false);
    }
  });

  it('gets speakers and timestamps right across the four label shapes', () => {
    const byName = (part: string) => {
      const p = parsed().find((x) => x.rel.includes(part));
      if (!p) throw new Error(part);
      return p.doc.blocks.filter((b) => b.kind === 'turn');
    };
    const riley = byName('2024-09-30-interviewingriley');
    // `**Riley G.**` is the Riley Goodside of the title; `Nathan L.` has no full name in the file (the root's author would give it).
    expect(new Set(riley.map((t) => t.speaker))).toEqual(new Set(['Nathan L.', 'Riley Goodside']));
    expect(riley[0]).toMatchObject({ speaker: 'Nathan L.', timestamp: '00:01:08' });
    expect(riley[1]).toMatchObject({ speaker: 'Riley Goodside', timestamp: null }); // `**Riley G.** Hey, Nathan` (NBSP, no time)
    const dean = byName('2024-06-27-interviewingdeanball');
    expect(dean[0]).toMatchObject({ speaker: 'Nathan Lambert', timestamp: '00:00:01' });
    expect(new Set(dean.map((t) => t.speaker))).toEqual(new Set(['Nathan Lambert', 'Dean W Ball']));
    const olmo = byName('2025-01-22-interviewingolmo2');
    expect(new Set(olmo.map((t) => t.speaker))).toEqual(new Set(['Nathan Lambert', 'Dirk Groeneveld', 'Kyle Lo', 'Luca Soldaini']));
    expect(olmo.filter((t) => t.timestamp === null).length).toBeGreaterThanOrEqual(62);
    const ross = byName('2025-07-29-interviewingrosstaylor');
    expect(ross.every((t) => t.timestamp === null)).toBe(true);
    expect(ross[0]).toMatchObject({ speaker: 'Nathan Lambert' });
    expect(new Set(ross.map((t) => t.speaker))).toEqual(new Set(['Nathan Lambert', 'Ross Taylor']));
  });

  it('finds the Tri Dao interview turns without a Transcript heading, starting at line 28', () => {
    const p = parsed().find((x) => x.rel.includes('2023-12-21-interviewingtridao'));
    expect(p).toBeDefined();
    const turns = p?.doc.blocks.filter((b) => b.kind === 'turn') ?? [];
    const first = turns[0];
    expect(first).toMatchObject({ speaker: 'Nathan Lambert', timestamp: '00:00:00', headingPath: ['Introductions'] });
    expect(lineAt(lineStarts(p?.content ?? ''), first?.start ?? 0)).toBe(28);
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(['Nathan Lambert', 'Michael Poli', 'Tri Dao']));
    expect(turns.find((t) => t.speaker === 'Tri Dao')?.timestamp).toBe('00:01:16');
    // `###` topic headings inside the transcript stay in the path.
    expect(new Set(turns.map((t) => t.headingPath.join('>'))).size).toBeGreaterThan(5);
  });

  it('show-notes chapter lists are not turns', () => {
    for (const p of parsed().filter((x) => x.rel.includes('interviewing'))) {
      const turns = p.doc.blocks.filter((b) => b.kind === 'turn');
      const firstTurn = turns[0]?.start ?? 0;
      for (const b of p.doc.blocks) {
        if (b.start < firstTurn) expect(b.kind, p.rel).not.toBe('turn');
      }
      for (const t of turns) expect(p.content[t.start], p.rel).not.toBe('-');
      const chapters = p.doc.blocks.find((b) => /^-\s+\\?\[\d\d:\d\d/.test(p.content.slice(b.start, b.end)));
      if (chapters) expect(chapters.kind).toBe('list');
    }
  });
});
