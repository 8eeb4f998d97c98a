import { describe, expect, it } from 'vitest';
import { DOCUMENT_RANK_DEFAULTS, orderByDocument, scoreDocuments } from '../../src/search/document-rank.js';

const p = (docId: string, score: number) => ({ docId, score, id: `${docId}@${score}` });

describe('scoreDocuments', () => {
  it('ranks a document with several matching passages above one with a single slightly better passage', () => {
    const hits = [p('mention', 1.0), p('about', 0.95), p('about', 0.9), p('about', 0.85), p('other', 0.1), p('floor', 0)];
    const docs = scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS);
    expect(docs.map((d) => d.docId)).toEqual(['about', 'mention', 'other', 'floor']);
    // best + 0.3·second + 0.09·third, scores taken above the weakest candidate
    expect(docs[0]?.score).toBeCloseTo(0.95 + 0.3 * 0.9 + 0.09 * 0.85, 10);
  });

  it('with support 0 is the best-passage order', () => {
    const hits = [p('a', 1), p('b', 0.9), p('b', 0.8), p('c', 0)];
    expect(scoreDocuments(hits, { ...DOCUMENT_RANK_DEFAULTS, support: 0 }).map((d) => d.docId)).toEqual(['a', 'b', 'c']);
  });

  it('scales documents by the cue factor', () => {
    const hits = [p('a', 1), p('b', 0.8), p('z', 0)];
    const docs = scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS, (best) => (best.docId === 'b' ? 2 : 1));
    expect(docs.map((d) => d.docId)).toEqual(['b', 'a', 'z']);
  });
});

describe('orderByDocument', () => {
  const order = (hits: ReturnType<typeof p>[]) =>
    orderByDocument(scoreDocuments(hits, { ...DOCUMENT_RANK_DEFAULTS, support: 0 })).map((h) => h.id);

  it("lists each document's best passage in document order", () => {
    const hits = [p('mention', 1.0), p('about', 0.95), p('about', 0.9), p('other', 0.5), p('z', 0)];
    const out = orderByDocument(scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS)).map((h) => h.id);
    const firsts = out.filter((id, i) => out.findIndex((o) => o.split('@')[0] === id.split('@')[0]) === i);
    expect(firsts).toEqual(['about@0.95', 'mention@1', 'other@0.5', 'z@0']);
    // about (1.22 with its support) is ahead of mention (1.0) by more than its second passage gives up (1.22 · 0.9 / 0.95).
    expect(out).toEqual(['about@0.95', 'about@0.9', 'mention@1', 'other@0.5', 'z@0']);
  });

  it("shows a document's close seconds before the next document when that one scores less", () => {
    expect(order([p('a', 1.0), p('a', 0.9), p('a', 0.2), p('b', 0.5), p('z', 0)])).toEqual(['a@1', 'a@0.9', 'b@0.5', 'a@0.2', 'z@0']);
  });

  it('shows documents that score alike once each before their second passages', () => {
    expect(order([p('a', 1.0), p('a', 0.8), p('b', 0.95), p('b', 0.9), p('c', 0.92), p('z', 0)])).toEqual([
      'a@1',
      'b@0.95',
      'c@0.92',
      'b@0.9',
      'a@0.8',
      'z@0',
    ]);
  });

  it("weighs a second passage by its document's score, so a cue-lifted document keeps its seconds ahead", () => {
    const hits = [p('a', 1.0), p('b', 0.8), p('b', 0.7), p('z', 0)];
    const docs = scoreDocuments(hits, { ...DOCUMENT_RANK_DEFAULTS, support: 0 }, (best) => (best.docId === 'b' ? 2 : 1));
    // b: 1.6, its second 1.6 · 0.7 / 0.8 = 1.4 ≥ a's 1.0
    expect(orderByDocument(docs).map((h) => h.id)).toEqual(['b@0.8', 'b@0.7', 'a@1', 'z@0']);
  });
});
