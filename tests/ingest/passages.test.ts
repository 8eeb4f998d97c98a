import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/core/types.js';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { parseFile } from '../../src/ingest/parse.js';
import { encloseInPassages } from '../../src/ingest/passages.js';
import { expectValidChunks, words } from './helpers.js';

const sentence = (i: number) => `Sentence number ${i} has exactly seven words.`;

describe('encloseInPassages', () => {
  const paragraphs = Array.from({ length: 6 }, (_, p) => Array.from({ length: 4 }, (_, i) => sentence(p * 4 + i)).join(' '));
  const doc = parseFile({
    relPath: 'doc.md',
    docId: 'doc.md',
    content: `# Long\n\n${paragraphs.join('\n\n')}\n\n# Short\n\nOne line alone.\n`,
  });
  const small = chunkDocument(doc, { maxTokens: 40, overlapTokens: 7 }, words);
  const wide = chunkDocument(doc, { maxTokens: 120, overlapTokens: 7 }, words);
  const chunks = encloseInPassages(doc.source, small, wide);

  it('shows each chunk inside the longer passage it overlaps most, cut exactly from the source', () => {
    expect(small.length).toBeGreaterThan(wide.length);
    expectValidChunks(doc, chunks);
    for (const c of chunks) {
      expect(c.passage.text).toContain(c.text);
      const host = wide.find((w) => w.start <= c.start && w.end >= c.end);
      // Where one longer passage holds the whole chunk, that passage is the one shown.
      if (host)
        expect(c.passage).toEqual({ text: host.text, start: host.start, end: host.end, lineStart: host.lineStart, lineEnd: host.lineEnd });
    }
    // The chunks themselves (what is matched) are unchanged.
    expect(chunks.map((c) => c.text)).toEqual(small.map((c) => c.text));
  });

  it('never crosses a section, and a chunk that is already a whole section is its own passage', () => {
    const last = chunks.at(-1);
    expect(last?.text).toBe('# Short\n\nOne line alone.');
    expect(last?.passage.text).toBe(last?.text);
    for (const c of chunks.slice(0, -1)) expect(c.passage.text).not.toContain('# Short');
  });

  it('widens the passage to the chunk where their boundaries differ', () => {
    const chunk = small[1] as Chunk;
    const host = wide[0] as Chunk;
    // A longer passage that ends inside the chunk: the chunk's tail must still be shown.
    const cut = chunk.start + 5;
    const [out] = encloseInPassages(doc.source, [chunk], [{ ...host, end: cut, text: doc.source.slice(host.start, cut) }]);
    expect(out?.passage).toMatchObject({ start: host.start, end: chunk.end, text: doc.source.slice(host.start, chunk.end) });
  });
});
