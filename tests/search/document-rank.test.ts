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
  it("puts each document's best passage in document order, then the rest by score", () => {
    const hits = [p('mention', 1.0), p('about', 0.95), p('about', 0.9), p('other', 0.5), p('z', 0)];
    const out = orderByDocument(scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS), { ...DOCUMENT_RANK_DEFAULTS, lead: 1 });
    expect(out.map((h) => h.id)).toEqual(['about@0.95', 'mention@1', 'other@0.5', 'z@0', 'about@0.9']);
  });

  it('keeps close seconds with their document when lead > 1', () => {
    const hits = [p('a', 1.0), p('a', 0.9), p('a', 0.2), p('b', 0.5), p('z', 0)];
    const out = orderByDocument(scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS), { ...DOCUMENT_RANK_DEFAULTS, lead: 3, leadFloor: 0.5 });
    expect(out.map((h) => h.id)).toEqual(['a@1', 'a@0.9', 'b@0.5', 'z@0', 'a@0.2']);
  });
});
