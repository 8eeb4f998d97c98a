import { describe, expect, it } from 'vitest';
import { headingText, isNoiseText, markdownBlocks } from '../../src/ingest/markdown.js';

const FIXTURE = `# Title

Intro paragraph.

## Section A

Text in A, with a footnote.[^1]

- item one
- item two

### Sub A.1

\`\`\`python
print("hi")

print("still code")
\`\`\`

| a | b |
|---|---|
| 1 | 2 |

## Section B

> a quote

<div class="x">Raw <b>HTML</b> text</div>

![](images/only-an-image.png)

:::: {#youtube2-abc .youtube-wrap attrs="{}"}
::: player-unavailable
# An error occurred. {#an-error-occurred. .message}

Try watching this video on www.youtube.com.
:::
::::

[^1]: The footnote text.

#### Deep {#deep .cls}

Last.
`;

function blocksOf(text: string) {
  return markdownBlocks(text, 0, text.length).blocks.map((b) => ({
    kind: b.kind,
    path: b.headingPath.join(' > '),
    text: text.slice(b.start, b.end),
  }));
}

describe('markdownBlocks', () => {
  it('turns top-level nodes into blocks with heading paths', () => {
    expect(blocksOf(FIXTURE)).toEqual([
      { kind: 'heading', path: 'Title', text: '# Title' },
      { kind: 'paragraph', path: 'Title', text: 'Intro paragraph.' },
      { kind: 'heading', path: 'Title > Section A', text: '## Section A' },
      { kind: 'paragraph', path: 'Title > Section A', text: 'Text in A, with a footnote.[^1]' },
      { kind: 'list', path: 'Title > Section A', text: '- item one\n- item two' },
      { kind: 'heading', path: 'Title > Section A > Sub A.1', text: '### Sub A.1' },
      { kind: 'code', path: 'Title > Section A > Sub A.1', text: '```python\nprint("hi")\n\nprint("still code")\n```' },
      { kind: 'table', path: 'Title > Section A > Sub A.1', text: '| a | b |\n|---|---|\n| 1 | 2 |' },
      { kind: 'heading', path: 'Title > Section B', text: '## Section B' },
      { kind: 'blockquote', path: 'Title > Section B', text: '> a quote' },
      { kind: 'html', path: 'Title > Section B', text: '<div class="x">Raw <b>HTML</b> text</div>' },
      // image-only paragraph and the YouTube embed (fences + player chrome) are dropped as noise
      { kind: 'other', path: 'Title > Section B', text: '[^1]: The footnote text.' },
      { kind: 'heading', path: 'Title > Section B > Deep', text: '#### Deep {#deep .cls}' },
      { kind: 'paragraph', path: 'Title > Section B > Deep', text: 'Last.' },
    ]);
  });

  it('offsets point into the whole source when parsing a slice', () => {
    const prefix = '---\ntitle: x\n---\n';
    const text = `${prefix}Para one.\n\n## H\n\nPara two.\n`;
    const { blocks, headings, firstHeading } = markdownBlocks(text, prefix.length, text.length, [{ depth: 1, text: 'Doc' }]);
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual(['Para one.', '## H', 'Para two.']);
    expect(blocks[0]?.headingPath).toEqual(['Doc']);
    expect(blocks[2]?.headingPath).toEqual(['Doc', 'H']);
    expect(headings).toEqual([
      { depth: 1, text: 'Doc' },
      { depth: 2, text: 'H' },
    ]);
    expect(firstHeading).toBe('H');
  });

  it('trims pandoc fence lines glued to a block and keeps the text between', () => {
    const text = '::: embedded-post-title\nThe implicit dynamics\n:::\n::::\n\nNext.\n';
    expect(blocksOf(text).map((b) => b.text)).toEqual(['The implicit dynamics', 'Next.']);
  });

  it('survives empty and odd input', () => {
    expect(blocksOf('')).toEqual([]);
    expect(blocksOf('\n\n   \n')).toEqual([]);
    expect(blocksOf('<!-- only a comment -->\n')).toEqual([]);
    expect(blocksOf('::::\n:::\n').length).toBe(0);
    expect(blocksOf('```\nunclosed code').map((b) => b.kind)).toEqual(['code']);
    expect(blocksOf('Setext\n======\n\ntext').map((b) => [b.kind, b.path])).toEqual([
      ['heading', 'Setext'],
      ['paragraph', 'Setext'],
    ]);
  });

  it('keeps loose lists whole and does not split code or html blocks that span blank lines', () => {
    const text = '- a\n\n- b\n\n  continued\n\nAfter.\n\n<!--\n\nhidden\n\n-->\n\nEnd.\n';
    expect(blocksOf(text).map((b) => b.kind)).toEqual(['list', 'paragraph', 'paragraph']);
  });
});

describe('headingText / isNoiseText', () => {
  it('cleans heading markup', () => {
    expect(headingText('### **Transcript**')).toBe('Transcript');
    expect(headingText('# An error occurred. {#an-error-occurred. .message}')).toBe('An error occurred.');
    expect(headingText('## [Link](http://x) and `code` ##')).toBe('Link and code');
    expect(headingText("## Riley\\'s path")).toBe("Riley's path");
  });

  it('detects pure noise only', () => {
    expect(isNoiseText('![](images/a.png)')).toBe(true);
    expect(isNoiseText('[![Image](images/a.png)](https://x)')).toBe(true);
    expect(isNoiseText('::::: {.x}\n:::')).toBe(true);
    expect(isNoiseText('<div>\n\n</div>')).toBe(true);
    expect(isNoiseText('---')).toBe(true);
    expect(isNoiseText('![](a.png) with a caption')).toBe(false);
    expect(isNoiseText('[a link](https://x)')).toBe(false);
  });
});
