import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, QUESTIONS_FILE, loadQuestions, overlapOf } from '../../scripts/lib/archive-questions.js';
import { SHARED_DATA } from '../helpers/paths.js';

const haveArchive = existsSync(path.join(SHARED_DATA, 'interconnects')) && existsSync(path.join(SHARED_DATA, 'rlhf-book', 'chapters'));
if (!haveArchive) console.log(`skipping archive question checks: ${SHARED_DATA} is absent`);

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

describe.skipIf(!haveArchive)('archive evaluation questions against ../shared/data', () => {
  it('every relevant range exists in its file and is not blank', () => {
    const { problems } = loadQuestions(QUESTIONS_FILE, SHARED_DATA);
    expect(problems).toEqual([]);
  });

  it('reports a range past the end of its file', () => {
    const { problems } = loadQuestions(path.join(import.meta.dirname, 'fixtures', 'out-of-range.jsonl'), SHARED_DATA);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^out-of-range\.jsonl:1 \(q001\): relevant\[0\]\.lines \[9000, 9001\] runs past the end of rlhf-book\/chapters\/01-introduction\.md \(\d+ lines\)$/,
    );
  });

  it('at least half the questions share at most two content words with their answer', () => {
    const { questions } = loadQuestions(QUESTIONS_FILE, SHARED_DATA);
    const low = questions.filter((q) => overlapOf(q, SHARED_DATA).count <= 2).length;
    expect(low / questions.length).toBeGreaterThanOrEqual(0.5);
  });
});
