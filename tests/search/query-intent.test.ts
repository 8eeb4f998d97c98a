import { describe, expect, it } from 'vitest';
import { namedSpeaker, parseQuery, queryTopic, topicWords } from '../../src/search/query-intent.js';

describe('queryTopic', () => {
  it('drops request preambles', () => {
    expect(queryTopic('prior posts on calibration')).toBe('calibration');
    expect(queryTopic('where do I say open models are a year behind?')).toBe('open models are a year behind');
    // In any case, after any spaces (the regexes run only on requests starting with a preamble's first word).
    expect(queryTopic('\u00a0 FIND me ALL posts about calibration')).toBe('calibration');
    expect(queryTopic('open models a year behind')).toBe('open models a year behind');
  });
});

describe('parseQuery', () => {
  it('reads book and chapter cues as chapters and strips them from the matched text', () => {
    const q = parseQuery('in the book, where do I say reward models get one pass over their data');
    expect(q.kind).toBe('chapter');
    expect(q.text).toBe('reward models get one pass over their data');
    expect(parseQuery("the book's example of a refusal").kind).toBe('chapter');
    expect(parseQuery('the chapter on rejection sampling')).toMatchObject({ kind: 'chapter', text: 'rejection sampling' });
  });

  it('reads guest, interview, podcast, episode and conversation as interviews', () => {
    for (const q of [
      'what did my guest say about GPU export rules',
      'the interview about compute',
      'the podcast episode on open models',
      'the conversation where we talked about poems',
    ]) {
      expect(parseQuery(q).kind).toBe('interview');
      expect(parseQuery(q).text).not.toMatch(/guest|interview|podcast|episode|conversation/i);
    }
  });

  it('reads years and "first" / "early on"', () => {
    expect(parseQuery('what I wrote about open models in 2023')).toMatchObject({ years: [2023], text: 'what I wrote about open models' });
    const first = parseQuery('the first time I wrote about RLHF');
    expect(first).toMatchObject({ earliest: true, text: 'RLHF' });
    expect(parseQuery('when did I first write about model specs')).toMatchObject({ earliest: true, text: 'model specs' });
  });

  it('leaves a plain query alone, and never returns an empty text', () => {
    expect(parseQuery('reward model over-optimisation')).toEqual({
      text: 'reward model over-optimisation',
      kind: null,
      years: [],
      earliest: false,
    });
    expect(parseQuery('the interview').text).toBe('the interview');
  });
});

describe('topicWords', () => {
  it('is empty for a request that only says how or where to look', () => {
    for (const q of [
      'the',
      'prior posts on',
      'where did I say',
      'find me the',
      'in the book',
      'first',
      'the first time I wrote about',
      'interviews',
      '???',
    ])
      expect(topicWords(q), q).toEqual([]);
  });

  it('keeps the topic, a year and a lone framing word that may be the topic', () => {
    expect(topicWords('prior posts on calibration')).toEqual(['calibration']);
    expect(topicWords('the first time I wrote about RLHF')).toEqual(['rlhf']);
    expect(topicWords('the exact line I said in the interview about mental effort')).toEqual(['mental', 'effort']);
    expect(topicWords('2023')).toEqual(['2023']);
    expect(topicWords('writing')).toEqual(['writing']);
  });
});

describe('namedSpeaker', () => {
  const speakers = ['Ross Taylor', 'Tim Dettmers', 'Riley G.', 'Nathan Lambert'];
  it('finds a speaker by full, first or last name', () => {
    expect(namedSpeaker('where Ross Taylor said reasoning needs verifiers', speakers)).toBe('Ross Taylor');
    expect(namedSpeaker('what Dettmers said about quantization', speakers)).toBe('Tim Dettmers');
    expect(namedSpeaker('the bit where Riley talked about prompts', speakers)).toBe('Riley G.');
  });
  it('finds a name as a whole word only', () => {
    expect(namedSpeaker('(Dettmers) on quantization', speakers)).toBe('Tim Dettmers');
    expect(namedSpeaker("Dettmers's take on quantization", speakers)).toBe('Tim Dettmers');
    for (const q of ['Dettmers_2 on quantization', 'Dettmers2 on quantization', 'xDettmers on quantization']) {
      expect(namedSpeaker(q, speakers)).toBeNull();
    }
  });
  it('needs a capitalised name and exactly one match', () => {
    expect(namedSpeaker('a taylor series of prompts', speakers)).toBeNull();
    expect(namedSpeaker('Ross Taylor and Tim Dettmers on scaling', speakers)).toBeNull();
  });
});
