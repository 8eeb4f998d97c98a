import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { parseJsonl } from '../../src/ingest/parse.js';
import { DATA, expectValidChunks, words } from './helpers.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('BEIR SciFact corpus', () => {
  it('parses all 5,183 records with no errors and chunks them', () => {
    const content = readFileSync(path.join(DATA, 'beir', 'scifact', 'corpus.jsonl'), 'utf8');
    const { docs, errors } = parseJsonl({ relPath: 'beir/scifact/corpus.jsonl', content });
    expect(errors).toEqual([]);
    expect(docs).toHaveLength(5183);
    expect(new Set(docs.map((d) => d.meta.docId)).size).toBe(5183);
    docs.forEach((d, i) => {
      expect(d.lineBase).toBe(i + 1);
      expect(d.meta.title).toBeTruthy();
    });
    let n = 0;
    for (const d of docs) {
      const chunks = chunkDocument(d, { maxTokens: 128, overlapTokens: 16 }, words);
      n += chunks.length;
      if (d.lineBase % 500 === 0) expectValidChunks(d, chunks);
    }
    expect(n).toBeGreaterThanOrEqual(5183 - 10);
  });
});
