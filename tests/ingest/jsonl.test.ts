import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { parseJsonl } from '../../src/ingest/parse.js';
import { words } from './helpers.js';

const EXPORT = [
  JSON.stringify({ id: 'a1', title: 'First', text: 'Para one.\n\nPara two.', date: '2024-01-02', url: 'https://x/a1', tags: ['t'] }),
  '',
  '{"id": "broken", "text": ',
  JSON.stringify({ _id: 7, text: 'Numeric id.', type: 'post' }),
  JSON.stringify({ title: 'no id', text: 'x' }),
  JSON.stringify({ id: 'no-text' }),
  '[1, 2]',
  JSON.stringify({ id: 'a1', text: 'duplicate' }),
  JSON.stringify({ _id: 'beir', title: 'T', text: 'Abstract.', metadata: { url: 'https://doi.org/x' } }),
].join('\n');

describe('parseJsonl', () => {
  it('parses good records and reports each bad line by number', () => {
    const { docs, errors } = parseJsonl({ relPath: 'export.jsonl', content: EXPORT });
    expect(docs.map((d) => d.meta.docId)).toEqual(['a1', '7', 'beir']);
    expect(errors.map((e) => e.line)).toEqual([3, 5, 6, 7, 8]);
    expect(errors[0]?.message).toMatch(/invalid JSON/);
    expect(errors[1]?.message).toMatch(/no "id"/);
    expect(errors[2]?.message).toMatch(/no "text"/);
    expect(errors[4]?.message).toMatch(/duplicate id "a1" \(first used on line 1\)/);

    const [a1, seven, beir] = docs;
    expect(a1?.meta).toMatchObject({
      relPath: 'export.jsonl',
      title: 'First',
      date: '2024-01-02',
      url: 'https://x/a1',
      type: 'record',
      tags: ['t'],
    });
    expect(a1?.meta.extra).not.toHaveProperty('text');
    expect(a1).toMatchObject({ source: 'Para one.\n\nPara two.', lineBase: 1, linesMapToFile: false });
    expect(a1?.blocks.map((b) => a1?.source.slice(b.start, b.end))).toEqual(['Para one.', 'Para two.']);
    expect(seven).toMatchObject({ lineBase: 4, meta: { type: 'post', title: null } });
    expect(beir?.meta.url).toBe('https://doi.org/x');
    expect(beir?.lineBase).toBe(9);

    if (!a1) throw new Error('a1 missing');
    const chunks = chunkDocument(a1, { maxTokens: 2, overlapTokens: 0 }, words);
    expect(chunks.map((c) => [c.text, c.lineStart, c.lineEnd])).toEqual([
      ['Para one.', 1, 1],
      ['Para two.', 1, 1],
    ]);
  });
});
