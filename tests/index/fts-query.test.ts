import { describe, expect, it } from 'vitest';
import { ftsQueryText } from '../../src/index/chunk-search.js';

describe('ftsQueryText', () => {
  it('drops syntax and also searches a letters+digits word as its parts ("GPT4" finds "GPT-4")', () => {
    expect(ftsQueryText('"GPT4" vs (GPT-4)?')).toBe('GPT4 GPT 4 vs GPT 4');
    expect(ftsQueryText('self-play in 2024')).toBe('self play in 2024');
  });
});
