import { describe, expect, it } from 'vitest';
import {
  PARAPHRASE_THRESHOLD,
  bestWindow,
  classifyQuote,
  compareWords,
  findElided,
  findExact,
  isClose,
  passageSimilarity,
  quoteKey,
  splitElisions,
} from '../../src/text/quote-match.js';

/** The exact source text of every hit. */
function hits(quote: string, source: string): string[] {
  return findExact(quote, source).map((s) => source.slice(s.start, s.end));
}

describe('findExact', () => {
  it('matches through NBSP and maps back to exact offsets', () => {
    const src = 'Intro. The model\u00a0is good at\u00a0this. Outro.';
    expect(hits('the model is good at this', src)).toEqual(['The model\u00a0is good at\u00a0this']);
  });

  it('matches straight quotes against curly ones and vice versa', () => {
    const src = 'He said \u201cno\u201d and it\u2019s final.';
    expect(hits('He said "no" and it\'s final', src)).toEqual(['He said \u201cno\u201d and it\u2019s final']);
    expect(hits('\u201cno\u201d and', 'He said "no" and left')).toEqual(['"no" and']);
  });

  it('matches a rendered quote against an escaped markdown apostrophe', () => {
    const src = "Honestly, I\\'m not sure it\\'s worth it.";
    expect(hits('I\u2019m not sure it\u2019s worth it', src)).toEqual(["I\\'m not sure it\\'s worth it"]);
  });

  it('matches through **bold** and keeps the markers balanced', () => {
    const src = 'This is **really important** to me.';
    expect(hits('this is really important', src)).toEqual(['This is **really important**']);
    expect(hits('really important to me', src)).toEqual(['**really important** to me']);
    expect(hits('really', src)).toEqual(['**really']); // `**really important**` can't be halved evenly
  });

  it('is case-insensitive and crosses hard-wrapped line breaks', () => {
    const src = '# Notes\n\nScaling\nLaws are\n   not DEAD, they are\nslowing.';
    expect(hits('scaling laws are not dead', src)).toEqual(['Scaling\nLaws are\n   not DEAD']);
  });

  it('matches across blockquote and list markers the rendered page hides', () => {
    const src = '> first line of the quote\n> second line\n\n- item one\n- item two';
    expect(hits('first line of the quote second line', src)).toEqual(['first line of the quote\n> second line']);
    expect(hits('item one item two', src)).toEqual(['item one\n- item two']);
  });

  it('swallows a link around the quoted text', () => {
    const src = 'Go read [my post on RLHF](https://example.com/rlhf) today.';
    expect(hits('read my post on RLHF today', src)).toEqual(['read [my post on RLHF](https://example.com/rlhf) today']);
    expect(hits('my post on rlhf', src)).toEqual(['[my post on RLHF](https://example.com/rlhf)']);
  });

  it('ignores the quote marks and final period a pasted quote carries', () => {
    const src = 'Well, I think so, mostly.';
    expect(hits('"I think so."', src)).toEqual(['I think so']);
    expect(hits('\u2026I think so\u2026', src)).toEqual(['I think so']);
  });

  it('treats em dash, en dash and typed dashes alike', () => {
    const src = 'It works\u2014mostly\u2014in practice.';
    expect(hits('it works -- mostly -- in practice', src)).toEqual(['It works\u2014mostly\u2014in practice']);
  });

  it('finds every occurrence', () => {
    const src = 'Data matters. Then: data   MATTERS! And data\nmatters.';
    const found = findExact('data matters', src);
    expect(found).toHaveLength(3);
    expect(found.map((s) => src.slice(s.start, s.end))).toEqual(['Data matters', 'data   MATTERS', 'data\nmatters']);
  });

  it('respects word boundaries', () => {
    expect(findExact('cat', 'we concatenate strings')).toEqual([]);
    expect(hits('cat', 'the cat sat')).toEqual(['cat']);
  });

  it('returns nothing for empty or decoration-only quotes and made-up text', () => {
    expect(findExact('', 'anything')).toEqual([]);
    expect(findExact(' "..." ', 'anything ...')).toEqual([]);
    expect(findExact('this sentence was never written', 'The archive says something else.')).toEqual([]);
  });
});

describe('quoteKey', () => {
  it('normalises and trims decoration', () => {
    expect(quoteKey('  \u201cI\u2019m Sure.\u201d ')).toBe("i'm sure");
  });
});

const PASSAGE = `The most important lesson from the last year of post-training is that preference data is not a commodity. Teams that treat it as one end up with models that are chatty but brittle. I\\'m increasingly convinced that **the quality of the prompts** matters more than the quality of the completions, because the prompts decide which behaviours the model ever gets to practise.

When people ask me whether RLHF is "just" a style layer, my answer is that style is most of what users notice. The reasoning gains people attribute to reinforcement learning are real, but they sit on top of a base model that already knew how to do most of it.`;

// Same author, same topics, different claims: the hard negatives for the paraphrase threshold.
const UNRELATED = [
  'Open models lag the frontier by roughly six to twelve months, and that gap has been surprisingly stable. The interesting question is not whether the gap closes but who pays for the compute to close it, and whether governments decide that open weights are a national interest.',
  'I spent the weekend moving my newsletter to a new platform. The migration tool mangled every footnote, so I rewrote the export script from scratch and learned far more about HTML than I ever wanted to.',
  'Evaluation is the bottleneck for every lab I talk to. Benchmarks saturate within months of release, and the private evals that replace them are rarely shared, which makes progress hard to measure from the outside.',
  'The training data for the model includes web text, code and some books. We filtered the data with a classifier and deduplicated it at the document level before tokenisation.',
];

const PARAPHRASES = [
  "preference data isn't a commodity, and teams treating it like one get chatty, brittle models",
  'The key lesson of the past year of post-training: preference data is not a commodity.',
  'style is most of what users notice, so RLHF is more than just a style layer',
  'the reasoning gains attributed to RL are real but sit on top of a base model that already knew how to do it',
  'the prompt quality matters more than completion quality because prompts decide what behaviours the model practises',
];

const MADE_UP = [
  'Reward models are the secret sauce that every closed lab hides from the public.',
  'I think open models will overtake closed models by the end of next year.',
  'The best way to train a reasoning model is to skip supervised finetuning entirely.',
  'preference data quality is overrated compared to scaling the base model',
];

function bestOver(quote: string, passages: string[]): { score: number; exact: boolean } {
  return {
    score: Math.max(...passages.map((p) => passageSimilarity(quote, p))),
    exact: passages.some((p) => findExact(quote, p).length > 0),
  };
}

describe('passageSimilarity', () => {
  it('is 1 for the exact text, including through markdown', () => {
    expect(passageSimilarity('style is most of what users notice', PASSAGE)).toBe(1);
    expect(passageSimilarity("I'm increasingly convinced that the quality of the prompts matters", PASSAGE)).toBe(1);
  });

  it('scores a paraphrase clearly between an unrelated passage and the exact text', () => {
    for (const q of PARAPHRASES) {
      const own = passageSimilarity(q, PASSAGE);
      const other = Math.max(...UNRELATED.map((p) => passageSimilarity(q, p)));
      expect(own, q).toBeGreaterThanOrEqual(PARAPHRASE_THRESHOLD + 0.1);
      expect(own, q).toBeLessThan(1);
      expect(other, q).toBeLessThan(PARAPHRASE_THRESHOLD - 0.2);
    }
  });

  it('keeps made-up sentences on the same topics below the threshold', () => {
    for (const q of MADE_UP) {
      expect(bestOver(q, [PASSAGE, ...UNRELATED]).score, q).toBeLessThan(PARAPHRASE_THRESHOLD - 0.1);
    }
  });

  it('is 0 when there is nothing to compare', () => {
    expect(passageSimilarity('', PASSAGE)).toBe(0);
    expect(passageSimilarity('anything at all', '')).toBe(0);
    expect(passageSimilarity('zebras quantum', PASSAGE)).toBe(0);
  });

  it('is monotone in how much of the quote survives', () => {
    const full = passageSimilarity('teams that treat preference data as a commodity end up with brittle models', PASSAGE);
    const half = passageSimilarity('teams that treat preference data as a commodity end up rich and famous', PASSAGE);
    expect(full).toBeGreaterThan(half);
  });

  it('handles a quote made only of function words', () => {
    expect(passageSimilarity('what it is', 'I know what it is.')).toBe(1);
    expect(passageSimilarity('it is what it', 'I know what it is.')).toBeGreaterThan(0);
  });

  it('runs on 50 passages of ~300 words quickly', () => {
    const long = `${PASSAGE}\n\n${UNRELATED.join('\n\n')}`;
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) passageSimilarity(PARAPHRASES[i % PARAPHRASES.length] as string, long);
    // Generous bound for loaded CI machines; typically a few ms.
    expect(performance.now() - t0).toBeLessThan(250);
  });
});

describe('bestWindow', () => {
  it('returns the exact span with score 1 when the quote is verbatim', () => {
    const w = bestWindow('the prompts decide which behaviours', PASSAGE);
    expect(w.score).toBe(1);
    expect(PASSAGE.slice(w.start, w.end)).toBe('the prompts decide which behaviours');
  });

  it('snaps a paraphrase to the closest verbatim sentence', () => {
    const w = bestWindow('style is most of what users notice, so RLHF is more than just a style layer', PASSAGE);
    expect(w.score).toBeGreaterThan(PARAPHRASE_THRESHOLD);
    expect(PASSAGE.slice(w.start, w.end)).toBe(
      'When people ask me whether RLHF is "just" a style layer, my answer is that style is most of what users notice.',
    );
    const w2 = bestWindow('the reasoning gains attributed to RL are real', PASSAGE);
    expect(PASSAGE.slice(w2.start, w2.end)).toBe(
      'The reasoning gains people attribute to reinforcement learning are real, but they sit on top of a base model that already knew how to do most of it.',
    );
  });

  it('keeps emphasis markers balanced in the snapped span', () => {
    const w = bestWindow('prompt quality matters more than completion quality', PASSAGE);
    const text = PASSAGE.slice(w.start, w.end);
    expect(text.startsWith("I\\'m increasingly convinced that **the quality")).toBe(true);
    expect(text.endsWith('gets to practise.')).toBe(true);
  });

  it('falls back to word boundaries in long unpunctuated text', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const passage = `${words} alpha beta gamma delta ${words}`;
    const w = bestWindow('alpha beta gamma epsilon', passage);
    expect(passage.slice(w.start, w.end)).toBe('alpha beta gamma delta');
  });

  it('is empty with score 0 when nothing matches', () => {
    expect(bestWindow('zebras quantum', PASSAGE)).toEqual({ start: 0, end: 0, score: 0 });
  });
});

describe('classifyQuote', () => {
  it('applies the documented thresholds', () => {
    expect(classifyQuote(1, true)).toBe('verified');
    expect(classifyQuote(0.2, true)).toBe('verified');
    expect(classifyQuote(0.99, false)).toBe('paraphrase');
    expect(classifyQuote(PARAPHRASE_THRESHOLD, false)).toBe('paraphrase');
    expect(classifyQuote(PARAPHRASE_THRESHOLD - 0.01, false)).toBe('not_found');
  });

  it('end to end: verbatim, paraphrase and made-up quotes over a small archive', () => {
    const archive = [PASSAGE, ...UNRELATED];
    const verdict = (q: string) => {
      const b = bestOver(q, archive);
      return classifyQuote(b.score, b.exact);
    };
    expect(verdict('Preference data is not a commodity.')).toBe('verified');
    expect(verdict('\u201cI\u2019m increasingly convinced that the quality of the prompts matters more\u201d')).toBe('verified');
    for (const q of PARAPHRASES) expect(verdict(q), q).toBe('paraphrase');
    for (const q of MADE_UP) expect(verdict(q), q).toBe('not_found');
  });
});

describe('findExact with link destinations containing parentheses', () => {
  it('swallows the whole destination', () => {
    const src = 'see [the article](https://en.wikipedia.org/wiki/X_(y)) now';
    expect(hits('see the article', src)).toEqual(['see [the article](https://en.wikipedia.org/wiki/X_(y))']);
  });
});

describe('findExact and quotation marks', () => {
  it('closes a quotation the hit would otherwise cut, escaped or not', () => {
    expect(hits('he called it "vibes', 'So he called it \\"vibes\\" then.')).toEqual(['he called it \\"vibes\\"']);
    expect(hits('it “vibes', 'So he called it “vibes” then.')).toEqual(['it “vibes”']);
    expect(hits('vibes” then', 'So he called it “vibes” then.')).toEqual(['“vibes” then']);
    expect(hits('“vibes', 'So he called it “vibes” then.')).toEqual(['vibes']); // no mark inside, none added
  });
});

describe('splitElisions', () => {
  it('splits on "…", "...", "[…]" and "[...]", dropping empty ends', () => {
    expect(splitElisions('one two … three [...] four […] five ... six')).toEqual(['one two', 'three', 'four', 'five', 'six']);
    expect(splitElisions('… a quote that starts mid-sentence...')).toEqual(['a quote that starts mid-sentence']);
    expect(splitElisions('no elision here')).toEqual(['no elision here']);
  });
});

describe('findElided', () => {
  const source = 'Alpha beta gamma. Delta epsilon zeta. Eta theta iota. Alpha beta again.';
  it('finds every fragment in order, the earliest that fits', () => {
    const chains = findElided(['alpha beta', 'eta theta'], source, () => true);
    expect(chains.map((c) => c.map((s) => source.slice(s.start, s.end)))).toEqual([['Alpha beta', 'Eta theta']]);
  });
  it('refuses fragments out of order or rejected by the caller', () => {
    expect(findElided(['eta theta', 'delta'], source, () => true)).toEqual([]);
    expect(findElided(['alpha beta', 'eta theta'], source, (chain, next) => next.end - (chain[0] as { start: number }).start < 20)).toEqual(
      [],
    );
  });
});

describe('findElided bounds', () => {
  it('answers quickly for a quote cut into many one-letter fragments against a long text', () => {
    const source = 'a b a c a d '.repeat(15000);
    const t = Date.now();
    for (const q of [`${'a … '.repeat(1200)}zzz`, `${'a … '.repeat(20)}b`, `${'a b … a c … '.repeat(11)}d`]) {
      findElided(splitElisions(q), source, (chain, next) => next.start - (chain[0] as { start: number }).start < 30);
    }
    expect(Date.now() - t).toBeLessThan(3000);
  });
});

describe('compareWords', () => {
  it('lines a near miss up with its stretch of the source and lists the words that differ', () => {
    const source = 'Before that. The open ecosystem has shifted to focus more on weights as a central artifact rather than code. After.';
    const c = compareWords('the open ecosystem has shifted to focus on weights as the main artifact rather than code', source);
    expect(c?.differences).toEqual([
      { quote: '', source: 'more' },
      { quote: 'the main', source: 'a central' },
    ]);
    expect(source.slice(c!.span.start, c!.span.end)).toBe(
      'The open ecosystem has shifted to focus more on weights as a central artifact rather than code',
    );
    expect(isClose(c)).toBe(true);
  });
  it('is not close when too many words differ', () => {
    const c = compareWords('models learn to hedge their bets in words', 'The tuned model was certain about everything it said.');
    expect(isClose(c)).toBe(false);
  });
});
