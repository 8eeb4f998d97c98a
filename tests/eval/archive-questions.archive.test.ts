import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUESTIONS_FILE, loadQuestions, overlapOf } from '../../scripts/lib/archive-questions.js';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';

describe.skipIf(!has('sharedData'))('archive evaluation questions against ../shared/data', () => {
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
