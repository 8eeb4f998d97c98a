import { describe, expect, it } from 'vitest';
import { sentenceRanges } from '../../src/text/sentences.js';

const split = (s: string, start?: number, end?: number) => sentenceRanges(s, start, end).map(([a, b]) => s.slice(a, b));

describe('sentenceRanges', () => {
  it('splits at sentence ends and blank lines, not at abbreviations, initials or decimals', () => {
    const s = 'We use e.g. PPO. It scored 3.5 points! Really? Dr. Smith agreed.\n\nNew para';
    expect(split(s)).toEqual(['We use e.g. PPO.', 'It scored 3.5 points!', 'Really?', 'Dr. Smith agreed.', 'New para']);
    const t = 'The U.S. team agreed with J. Smith. So did the lab.';
    expect(split(t)).toEqual(['The U.S. team agreed with J. Smith.', 'So did the lab.']);
  });

  it('keeps an elision and an abbreviation before a lower-case word inside the sentence', () => {
    const s = 'He said it was, e.g. a trick... but not a bad one. Models, data, etc. all matter… Then we left.';
    expect(split(s)).toEqual(['He said it was, e.g. a trick... but not a bad one.', 'Models, data, etc. all matter…', 'Then we left.']);
  });

  it('takes a single line break as a hard wrap and any blank line (CRLF, CR) as an end', () => {
    const s = 'A sentence wrapped\nover two lines. Next one\r\n\r\nNew para without a stop\r\rLast';
    expect(split(s)).toEqual(['A sentence wrapped\nover two lines.', 'Next one', 'New para without a stop', 'Last']);
  });

  it('keeps closing quotes and brackets with the sentence and splits only within [start, end)', () => {
    const s = 'xx She wrote “it works.” Then (as planned.) it shipped! yy';
    expect(split(s, 3, s.length - 3)).toEqual(['She wrote “it works.”', 'Then (as planned.) it shipped!']);
  });
});
