import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { parseFile } from '../../src/ingest/parse.js';
import { encloseInPassages, passageChunking } from '../../src/ingest/passages.js';
import { bookFiles, chunkProblems, interconnectsFiles, words } from './helpers.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('chunkDocument on the real archive', () => {
  it('every chunk of every post and chapter is an exact slice with the right lines, within budget', () => {
    const files = [...interconnectsFiles(), ...bookFiles()];
    expect(files).toHaveLength(217);
    const docs = files.map((f) => parseFile({ relPath: f.rel, docId: f.rel, content: f.content }));
    for (const opts of [
      { maxTokens: 256, overlapTokens: 32 },
      { maxTokens: 48, overlapTokens: 12 },
    ]) {
      const problems: string[] = [];
      let total = 0;
      for (const doc of docs) {
        const chunks = chunkDocument(doc, opts, words);
        problems.push(...chunkProblems(doc, chunks));
        for (const c of chunks) {
          if (/\s/.test(c.text) && words(c.text) > opts.maxTokens) problems.push(`${doc.meta.docId} chunk ${c.chunkIndex}: over budget`);
        }
        if (doc.meta.relPath.startsWith('interconnects/') && chunks.length === 0) problems.push(`${doc.meta.docId}: no chunks`);
        total += chunks.length;
      }
      expect(problems).toEqual([]);
      expect(total).toBeGreaterThan(files.length * 5);
    }
  });

  it('every chunk is shown inside an exact, longer passage of its own document', () => {
    const opts = { maxTokens: 320, overlapTokens: 40 };
    const wide = passageChunking(opts);
    const problems: string[] = [];
    let chunkCount = 0;
    let widened = 0;
    for (const f of [...interconnectsFiles(), ...bookFiles()]) {
      const doc = parseFile({ relPath: f.rel, docId: f.rel, content: f.content });
      const chunks = encloseInPassages(doc.source, chunkDocument(doc, opts, words), chunkDocument(doc, wide, words));
      problems.push(...chunkProblems(doc, chunks));
      for (const c of chunks) {
        // At most the passage budget, plus the part of the chunk that reaches past the passage it overlaps most.
        if (words(c.passage.text) > wide.maxTokens + opts.maxTokens) problems.push(`${f.rel} chunk ${c.chunkIndex}: passage too long`);
        if (c.passage.end - c.passage.start > c.end - c.start) widened++;
      }
      chunkCount += chunks.length;
    }
    expect(problems).toEqual([]);
    // Many chunks are a whole short section or turn and are shown as they are; the rest get context (43% here).
    expect(widened / chunkCount).toBeGreaterThan(0.3);
  });

  it('turn chunks carry speaker and timestamp; prose chunks do not', () => {
    for (const f of interconnectsFiles().filter((x) => x.rel.includes('interviewing'))) {
      const doc = parseFile({ relPath: f.rel, docId: f.rel, content: f.content });
      const chunks = chunkDocument(doc, { maxTokens: 256, overlapTokens: 32 }, words);
      const turnStarts = new Set(doc.blocks.filter((b) => b.kind === 'turn').map((b) => b.start));
      const withSpeaker = chunks.filter((c) => c.speaker !== null);
      expect(withSpeaker.length, f.rel).toBeGreaterThan(20);
      // A chunk that starts a turn cites that turn's speaker.
      for (const c of chunks) if (turnStarts.has(c.start)) expect(c.speaker, f.rel).not.toBeNull();
    }
  });

  it('parses and chunks all 196 posts quickly', () => {
    const files = interconnectsFiles();
    const run = () => {
      const t = performance.now();
      let n = 0;
      for (const f of files)
        n += chunkDocument(
          parseFile({ relPath: f.rel, docId: f.rel, content: f.content }),
          { maxTokens: 256, overlapTokens: 32 },
          words,
        ).length;
      return { ms: performance.now() - t, n };
    };
    run(); // warm-up (JIT)
    const { ms, n } = run();
    console.log(`parse+chunk of ${files.length} posts: ${ms.toFixed(0)} ms, ${n} chunks`);
    // Generous bound: CI machines are slow and shared; locally this is well under a second.
    expect(ms).toBeLessThan(6000);
  });
});
