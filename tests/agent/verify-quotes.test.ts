import { describe, expect, it } from 'vitest';
import {
  checkQuotes,
  citationWithin,
  citedNumbers,
  extractQuotes,
  verifyQuotes,
  type EvidenceChunk,
} from '../../src/agent/verify-quotes.js';

function chunk(n: number, text: string, over: Partial<EvidenceChunk> = {}): EvidenceChunk {
  return {
    n,
    docId: `posts/doc-${n}.md`,
    path: `posts/doc-${n}.md`,
    title: `Doc ${n}`,
    date: '2024-01-01',
    url: null,
    lineStart: 10,
    lineEnd: 10 + (text.match(/\n/g)?.length ?? 0),
    text,
    ...over,
  };
}

const PATCH = chunk(
  1,
  'A typical reward model in published work is trained on tens of thousands of comparisons.\nThat is a tiny dataset for describing something as rich as "a good answer."\nWhen you point a strong optimiser at a weak proxy, the optimiser wins.',
);
const CAL = chunk(
  2,
  'Calibration measures whether your stated confidence matches how often you are right, and **nothing more** than that.',
);

describe('extractQuotes', () => {
  it('finds straight and curly inline quotations with their citations', () => {
    const answer =
      'You wrote that "the optimiser wins when pointed at a weak proxy" [1] and also “calibration measures whether your stated confidence matches” [2, 3].';
    const qs = extractQuotes(answer);
    expect(qs.map((q) => q.text)).toEqual([
      'the optimiser wins when pointed at a weak proxy',
      'calibration measures whether your stated confidence matches',
    ]);
    expect(qs.map((q) => q.cites)).toEqual([[1], [2, 3]]);
    expect(qs.every((q) => q.kind === 'inline')).toBe(true);
  });

  it('ignores short quotations (terms, titles, scare quotes) and code', () => {
    const answer =
      'The "vibes" post and "reward hacking" matter. Run `priors quote "one two three four five six"` or\n```\n"a b c d e f g h"\n```';
    expect(extractQuotes(answer)).toEqual([]);
  });

  it('reads a markdown block quote as one quotation, without its attribution line', () => {
    const answer =
      'As you put it:\n\n> When you point a strong optimiser at a weak proxy,\n> the optimiser wins.\n> — RLHF is a patch [1]\n\nSo…';
    const qs = extractQuotes(answer);
    expect(qs).toHaveLength(1);
    expect(qs[0]).toMatchObject({
      kind: 'block',
      text: 'When you point a strong optimiser at a weak proxy,\nthe optimiser wins.',
      cites: [1],
    });
  });

  it('takes a citation on the line after a block quote and does not re-read quotes inside it', () => {
    const qs = extractQuotes('> That is a tiny dataset for describing something as rich as "a good answer."\n[1]\n');
    expect(qs).toHaveLength(1);
    expect(qs[0]!.cites).toEqual([1]);
  });

  it('does not let an unmatched quote mark swallow the next paragraph', () => {
    const answer = 'An 8" screen is small.\n\nYou said "the optimiser wins every single time here" [1].';
    expect(extractQuotes(answer).map((q) => q.text)).toEqual(['the optimiser wins every single time here']);
  });

  it('strips a citation marker written inside the quotation', () => {
    expect(extractQuotes('"the optimiser wins against a weak proxy [2]"')[0]).toMatchObject({
      text: 'the optimiser wins against a weak proxy',
      cites: [2],
    });
  });
});

describe('citedNumbers', () => {
  it('collects [n] and [n, m] in order of first use, not links or footnotes', () => {
    expect(citedNumbers('a [2] b [1, 3] c [2] [link](http://x) [4](http://y) [^5]')).toEqual([2, 1, 3]);
  });
});

describe('checkQuotes', () => {
  it('verifies a verbatim quote ignoring case, whitespace, line breaks and quote-mark style', () => {
    const answer =
      'You wrote: “That is a tiny dataset for describing something as rich as ‘a good answer.’” [1] And: "when you point a strong   optimiser at a weak proxy, the optimiser wins" [1]';
    const r = checkQuotes(answer, [CAL, PATCH]);
    expect(r.map((q) => q.verified)).toEqual([true, true]);
    expect(r[0]).toMatchObject({ citation: 'posts/doc-1.md:11', docId: 'posts/doc-1.md', n: 1 });
    expect(r[1]!.citation).toBe('posts/doc-1.md:12');
  });

  it('reports the line range of a quote that crosses lines', () => {
    const r = checkQuotes('"tens of thousands of comparisons. That is a tiny dataset" [1]', [PATCH]);
    expect(r[0]).toMatchObject({ verified: true, citation: 'posts/doc-1.md:10-11' });
  });

  it('verifies through markdown emphasis in the source', () => {
    expect(verifyQuotes('"how often you are right, and nothing more than that" [2]', [CAL])).toEqual([
      { quote: 'how often you are right, and nothing more than that', verified: true, verdict: 'verified', citation: 'posts/doc-2.md:10' },
    ]);
  });

  it('flags a quote that is not verbatim, even when it is close', () => {
    const answer =
      'You wrote "when you aim a strong optimiser at a weak proxy, the optimiser wins" [1] and "reward models are the bedrock of alignment" [1].';
    const r = verifyQuotes(answer, [PATCH, CAL]);
    expect(r).toEqual([
      {
        quote: 'when you aim a strong optimiser at a weak proxy, the optimiser wins',
        verified: false,
        verdict: 'not_found',
        citation: null,
      },
      { quote: 'reward models are the bedrock of alignment', verified: false, verdict: 'not_found', citation: null },
    ]);
  });

  it('accepts an omission marked with an ellipsis when every part is verbatim and in order', () => {
    const ok = '"A typical reward model ... is trained on tens of thousands of comparisons" [1]';
    const reordered = '"is trained on tens of thousands of comparisons … A typical reward model" [1]';
    expect(checkQuotes(ok, [PATCH])[0]).toMatchObject({ verified: true, verdict: 'verified_with_elisions' });
    expect(checkQuotes(reordered, [PATCH])[0]!.verified).toBe(false);
  });

  it('does not accept parts of an ellipsis quote from different chunks', () => {
    const split = '"A typical reward model in published work … and nothing more than that" [1]';
    expect(checkQuotes(split, [PATCH, CAL])[0]!.verified).toBe(false);
  });

  it('prefers the cited document but still verifies a quote found in another retrieved one', () => {
    const dup = chunk(3, 'Earlier draft: When you point a strong optimiser at a weak proxy, the optimiser wins.', {
      lineStart: 4,
      lineEnd: 4,
    });
    const q = '"When you point a strong optimiser at a weak proxy, the optimiser wins."';
    expect(checkQuotes(`${q} [3]`, [PATCH, dup])[0]).toMatchObject({ n: 3, citation: 'posts/doc-3.md:4' });
    expect(checkQuotes(`${q} [2]`, [PATCH, dup])[0]).toMatchObject({ n: 1, verified: true });
  });

  it('reports a repeated quotation once and nothing without evidence', () => {
    const answer = '"the optimiser wins against weak proxies" and again "the optimiser wins against weak proxies"';
    expect(verifyQuotes(answer, [])).toEqual([
      { quote: 'the optimiser wins against weak proxies', verified: false, verdict: 'not_found', citation: null },
    ]);
  });

  it('cites a JSONL record by its one line', () => {
    const rec = chunk(4, 'line one of the record\nline two of the record text', { lineStart: 7, lineEnd: 7 });
    expect(citationWithin(rec, 25, 40)).toBe('posts/doc-4.md:7');
  });
});
