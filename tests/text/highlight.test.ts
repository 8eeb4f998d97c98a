import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightAnsi, highlightHtml, highlightSpans, queryTerms } from '../../src/text/highlight.js';

describe('queryTerms', () => {
  it('lower-cases, drops stop words, stems and dedupes', () => {
    expect(queryTerms('What are the Scaling laws for MODELS and the model?')).toEqual(['scal', 'law', 'model']);
    expect(queryTerms('“RLHF” isn’t dead')).toEqual(['rlhf', 'dead']);
  });

  it('keeps function words when that is all there is', () => {
    expect(queryTerms('to be or not to be')).toEqual(['not']);
    expect(queryTerms('what is it')).toEqual(['what', 'is', 'it']);
    expect(queryTerms('   ')).toEqual([]);
  });
});

describe('highlightSpans', () => {
  const text = "Scaling LAWS: the models scaled, and I\\'m sure a **model's** law holds.";
  const terms = queryTerms('scaling law model');

  it('finds inflected forms and maps to original offsets', () => {
    const got = highlightSpans(text, terms).map((s) => text.slice(s.start, s.end));
    expect(got).toEqual(['Scaling', 'LAWS', 'models', 'scaled', "model's", 'law']);
  });

  it('accepts raw (unstemmed) terms too', () => {
    expect(highlightSpans('the scaling law', ['scaling']).map((s) => [s.start, s.end])).toEqual([[4, 11]]);
  });

  it('returns nothing for no terms or no text', () => {
    expect(highlightSpans(text, [])).toEqual([]);
    expect(highlightSpans('', terms)).toEqual([]);
  });

  it('does not highlight inside link destinations', () => {
    const src = 'see [the model](https://x.com/model)';
    const got = highlightSpans(src, ['model']).map((s) => src.slice(s.start, s.end));
    expect(got).toEqual(['model']);
    expect(highlightSpans(src, ['model'])[0]?.start).toBe(9);
  });
});

describe('highlightAnsi', () => {
  it('wraps matches in bold yellow and restores styles', () => {
    expect(highlightAnsi('big models win', ['model'])).toBe('big \u001b[1m\u001b[33mmodels\u001b[39m\u001b[22m win');
    expect(highlightAnsi('nothing here', ['model'])).toBe('nothing here');
  });
});

describe('highlightHtml', () => {
  it('escapes everything and marks matches', () => {
    expect(highlightHtml('<b>Models</b> & "data"', queryTerms('model data'))).toBe(
      '&lt;b&gt;<mark>Models</mark>&lt;/b&gt; &amp; &quot;<mark>data</mark>&quot;',
    );
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});
