import { describe, expect, it } from 'vitest';
import { collapseNearDuplicates } from '../../src/search/dedupe.js';

interface Hit {
  id: string;
  docId: string;
  text: string;
  start: number;
  end: number;
}

function hit(id: string, docId: string, text: string, start = 0, end = start + text.length): Hit {
  return { id, docId, text, start, end };
}

const FOOTER = 'Thanks for reading! Subscribe for free to receive new posts and support my work.';

describe('collapseNearDuplicates', () => {
  it('collapses a subscribe footer repeated in 5 docs to the best-ranked one', () => {
    const hits = [
      hit('a1', 'a.md', 'Open models lag the frontier by six to twelve months.'),
      hit('f1', 'b.md', FOOTER, 500),
      hit('f2', 'c.md', `**${FOOTER}**`, 900),
      hit('b1', 'b.md', 'Evaluation is the bottleneck for every lab I talk to.'),
      hit('f3', 'd.md', FOOTER.toUpperCase(), 40),
      hit('f4', 'e.md', `Thanks for reading!\u00a0Subscribe for free to receive new posts and support my work`, 10),
      hit('f5', 'a.md', `${FOOTER} `, 2000),
    ];
    expect(collapseNearDuplicates(hits).map((h) => h.id)).toEqual(['a1', 'f1', 'b1']);
  });

  it('collapses near-identical text (Jaccard ≥ 0.8) but keeps distinct passages', () => {
    const base =
      'The most important lesson from the last year of post-training is that preference data is not a commodity and teams that treat it as one end up with brittle models';
    const tweaked = base.replace('brittle models', 'brittle chatbots');
    const different = 'I spent the weekend moving my newsletter to a new platform and rewrote the export script from scratch';
    const hits = [hit('x', 'a.md', base), hit('y', 'b.md', tweaked), hit('z', 'c.md', different)];
    expect(collapseNearDuplicates(hits).map((h) => h.id)).toEqual(['x', 'z']);
    // A stricter threshold keeps the tweaked copy.
    expect(collapseNearDuplicates(hits, { minJaccard: 0.99 }).map((h) => h.id)).toEqual(['x', 'y', 'z']);
  });

  it('drops overlapping chunks of one doc, keeping rank order', () => {
    const t = (n: number) => `chunk ${n} ` + 'distinct words '.repeat(n + 1);
    const hits = [
      hit('c2', 'doc.md', t(2), 1000, 2000),
      hit('c1', 'doc.md', t(1), 800, 1800), // 80% of the shorter span overlaps c2
      hit('c3', 'doc.md', t(3), 1800, 2800), // 20% overlap: a neighbour, kept
      hit('o1', 'other.md', t(4), 1000, 2000), // same span, other doc: kept
      hit('c4', 'doc.md', t(5), 1200, 1400), // nested inside c2
      hit('c5', 'doc.md', t(6), 1500, 2300), // overlaps c2 by 500 of its 800 chars
    ];
    expect(collapseNearDuplicates(hits).map((h) => h.id)).toEqual(['c2', 'c3', 'o1']);
    expect(collapseNearDuplicates(hits, { maxOverlap: 0.9 }).map((h) => h.id)).toEqual(['c2', 'c1', 'c3', 'o1', 'c5']);
  });

  it('handles empty input, empty texts and zero-length spans', () => {
    expect(collapseNearDuplicates([])).toEqual([]);
    const hits = [hit('e1', 'a.md', '  ', 0, 0), hit('e2', 'b.md', '', 5, 5), hit('w', 'a.md', 'word', 0, 0)];
    expect(collapseNearDuplicates(hits).map((h) => h.id)).toEqual(['e1', 'w']);
  });

  it('keeps the caller’s type and objects', () => {
    const hits = [hit('a', 'a.md', 'alpha beta gamma'), hit('b', 'b.md', 'delta epsilon zeta')];
    const out = collapseNearDuplicates(hits);
    expect(out[0]).toBe(hits[0]);
    expect(out[1]?.id).toBe('b');
  });

  it('stays fast for 200 hits of ~300 words', () => {
    const vocab = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}`);
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const hits = Array.from({ length: 200 }, (_, i) =>
      hit(`h${i}`, `d${i % 50}.md`, Array.from({ length: 300 }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' '), i * 3000),
    );
    const t0 = performance.now();
    expect(collapseNearDuplicates(hits)).toHaveLength(200);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
