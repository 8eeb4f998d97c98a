import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, QUESTIONS_FILE, loadQuestions } from '../../scripts/lib/archive-questions.js';

describe('archive evaluation questions (schema only)', () => {
  it('every record parses and has the required fields', () => {
    const { questions, problems } = loadQuestions(QUESTIONS_FILE, undefined);
    expect(problems).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(100);
  });

  it('covers every kind, each split evenly between the tune and test halves', () => {
    const { questions } = loadQuestions(QUESTIONS_FILE, undefined);
    for (const kind of KINDS) {
      const ks = questions.filter((q) => q.kind === kind);
      expect(ks.length, kind).toBeGreaterThanOrEqual(8);
      const tune = ks.filter((q) => q.half === 'tune').length;
      expect(Math.abs(tune - (ks.length - tune)), kind).toBeLessThanOrEqual(1);
    }
    expect(questions.filter((q) => q.kind === 'paraphrase').length).toBeGreaterThanOrEqual(25);
  });

  it('names a bad record and field in one line', () => {
    const { problems } = loadQuestions(path.join(import.meta.dirname, 'fixtures', 'bad-questions.jsonl'), undefined);
    expect(problems).toEqual([
      'bad-questions.jsonl:1 (q001): kind must be one of paraphrase, describe, quote, topic, timeline, guest, book, fact',
      'bad-questions.jsonl:2 (q002): relevant[0].lines must be 1-based [start, end] with start ≤ end',
      'bad-questions.jsonl:3: not valid JSON',
    ]);
  });
});
