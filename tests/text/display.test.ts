import { describe, expect, it } from 'vitest';
import { displayText, rawSpeakerLabelLength, stripSpeakerLabel } from '../../src/text/display.js';

describe('displayText', () => {
  it('removes export residue and markup, keeping the words', () => {
    const raw = [
      'It\\\'s a **bold** claim with a [link](https://x.org/a_(b)){target="_blank"} and *emphasis*.[1](#footnote-1){#footnote-anchor-1 .footnote-anchor component-name="FootnoteAnchorToDOM"}',
      '',
      ':::: {.footnote component-name="FootnoteToDOM"}',
      '![a chart](images/x.png)',
      '### A heading {#a-heading}',
      '<sup>note</sup> \\[00:15:07\\] and `code` and a literal \\*star\\*',
    ].join('\n');
    expect(displayText(raw)).toBe(
      "It's a bold claim with a link and emphasis.\n\nA heading\nnote [00:15:07] and code and a literal *star*",
    );
  });

  it('drops a turn label for quoting, in the raw text and in the clean text', () => {
    const raw = '**Ross Taylor** \\[00:15:07\\]: For us it was just a risk.';
    expect(stripSpeakerLabel(displayText(raw))).toBe('For us it was just a risk.');
    expect(raw.slice(rawSpeakerLabelLength(raw))).toBe('For us it was just a risk.');
    expect(stripSpeakerLabel(displayText('\\[00:00:00\\] **Nathan Lambert:** Welcome.'))).toBe('Welcome.');
    // Only for turn text: callers check that a speaker turn starts there (`Note: …` prose would match too).
    expect(rawSpeakerLabelLength('No label here, just prose.')).toBe(0);
  });
});
