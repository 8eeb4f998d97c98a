import { describe, expect, it } from 'vitest';
import type { Block, ParsedDocument, TokenCounter } from '../../src/core/types.js';
import { chunkDocument, MIN_TURN_TOKENS } from '../../src/ingest/chunk.js';
import { parseFile } from '../../src/ingest/parse.js';
import { expectValidChunks, words } from './helpers.js';

const md = (content: string, relPath = 'doc.md') => parseFile({ relPath, docId: relPath, content });

/** A single word (no whitespace) is the only thing allowed over budget. */
function expectWithinBudget(texts: readonly string[], max: number, count: TokenCounter = words): void {
  for (const t of texts) if (/\s/.test(t)) expect(count(t), t.slice(0, 80)).toBeLessThanOrEqual(max);
}

const sentence = (i: number) => `Sentence number ${i} has exactly seven words.`;

describe('chunkDocument on fixtures', () => {
  const DOC = `---
title: Fixture
---
# Guide

Intro to the guide.

## Setup

Install it first.

- step one
- step two

## Usage

### Basics

Run the tool.

### Advanced

Tune the tool.
`;

  it('packs blocks per section, never across sections, with the right heading path', () => {
    const doc = md(DOC);
    const chunks = chunkDocument(doc, { maxTokens: 100, overlapTokens: 10 }, words);
    expectValidChunks(doc, chunks);
    expect(chunks.map((c) => [c.headingPath.join(' > '), c.text])).toEqual([
      ['Guide', '# Guide\n\nIntro to the guide.'],
      ['Guide > Setup', '## Setup\n\nInstall it first.\n\n- step one\n- step two'],
      // `## Usage` holds only subheadings: no chunk of its own.
      ['Guide > Usage > Basics', '### Basics\n\nRun the tool.'],
      ['Guide > Usage > Advanced', '### Advanced\n\nTune the tool.'],
    ]);
    expect(chunks[0]).toMatchObject({ lineStart: 4, lineEnd: 6, speaker: null, timestamp: null });
    expect(chunks.at(-1)).toMatchObject({ lineStart: 21, lineEnd: 23 });
  });

  it('splits an over-budget paragraph at sentences, with whole-sentence overlap', () => {
    const text = Array.from({ length: 20 }, (_, i) => sentence(i)).join(' ');
    const doc = md(`## Long\n\n${text}\n`);
    const chunks = chunkDocument(doc, { maxTokens: 30, overlapTokens: 10 }, words);
    expectValidChunks(doc, chunks);
    expectWithinBudget(
      chunks.map((c) => c.text),
      30,
    );
    expect(chunks.length).toBeGreaterThan(5);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1];
      const cur = chunks[i];
      if (!prev || !cur) continue;
      // The next piece starts inside the previous one, at a sentence start, by ≤ overlapTokens.
      expect(cur.start).toBeLessThan(prev.end);
      const overlap = doc.source.slice(cur.start, prev.end);
      expect(words(overlap)).toBeLessThanOrEqual(10);
      expect(overlap).toMatch(/^Sentence number \d+/);
      expect(cur.headingPath).toEqual(['Long']);
    }
    // Every sentence is in some chunk.
    for (let i = 0; i < 20; i++) expect(chunks.some((c) => c.text.includes(sentence(i)))).toBe(true);
  });

  it('splits a run-on sentence at words; a single word over budget stays whole', () => {
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const huge = 'x'.repeat(500);
    const doc = md(`${long}\n\n${huge}\n`);
    const chunks = chunkDocument(doc, { maxTokens: 12, overlapTokens: 0 }, (t) => Math.ceil(t.length / 4));
    expectValidChunks(doc, chunks);
    expectWithinBudget(
      chunks.map((c) => c.text),
      12,
      (t) => Math.ceil(t.length / 4),
    );
    expect(chunks.at(-1)?.text).toBe(huge);
  });

  it('keeps a list, table or code block whole when it fits, and splits it by lines when not', () => {
    const list = Array.from({ length: 10 }, (_, i) => `- item ${i} is here`).join('\n');
    const code = '```\n' + Array.from({ length: 10 }, (_, i) => `line ${i} of code`).join('\n') + '\n```';
    const doc = md(`Intro.\n\n${list}\n\n${code}\n`);
    const fits = chunkDocument(doc, { maxTokens: 60, overlapTokens: 5 }, words);
    expect(fits.map((c) => c.text)).toContain(code);
    expect(fits.some((c) => c.text.includes(list))).toBe(true);
    const small = chunkDocument(doc, { maxTokens: 12, overlapTokens: 5 }, words);
    expectValidChunks(doc, small);
    expectWithinBudget(
      small.map((c) => c.text),
      12,
    );
    // Split at line boundaries: no chunk starts or ends inside a line.
    for (const c of small) {
      expect(c.start === 0 || doc.source[c.start - 1] === '\n', c.text).toBe(true);
      expect(c.end === doc.source.length || doc.source[c.end] === '\n', c.text).toBe(true);
    }
  });

  it('subtracts a per-call special-token overhead so the budget holds for the real count', () => {
    const withSpecials: TokenCounter = (t) => words(t) + 2;
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join('\n');
    const doc = md(text);
    const chunks = chunkDocument(doc, { maxTokens: 50, overlapTokens: 8 }, withSpecials);
    expectValidChunks(doc, chunks);
    expectWithinBudget(
      chunks.map((c) => c.text),
      50,
      withSpecials,
    );
    // Not needlessly small: the overhead is counted once per chunk, not once per sentence.
    expect(Math.max(...chunks.map((c) => withSpecials(c.text)))).toBeGreaterThan(40);
  });

  it('returns nothing for empty, whitespace-only, or noise-only documents and heading-less posts work', () => {
    expect(chunkDocument(md(''), { maxTokens: 50, overlapTokens: 5 }, words)).toEqual([]);
    expect(chunkDocument(md('---\ntitle: Empty body\n---\n'), { maxTokens: 50, overlapTokens: 5 }, words)).toEqual([]);
    expect(chunkDocument(md('\n\n  \n'), { maxTokens: 50, overlapTokens: 5 }, words)).toEqual([]);
    expect(chunkDocument(md('![](a.png)\n\n::::\n:::\n\n<div>\n</div>\n\n---\n'), { maxTokens: 50, overlapTokens: 5 }, words)).toEqual([]);
    expect(chunkDocument(md('# Only a heading\n'), { maxTokens: 50, overlapTokens: 5 }, words)).toEqual([]);
    const plain = md('No headings here.\n\nJust two paragraphs.\n');
    const chunks = chunkDocument(plain, { maxTokens: 50, overlapTokens: 5 }, words);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ text: 'No headings here.\n\nJust two paragraphs.', headingPath: [], lineStart: 1, lineEnd: 3 });
  });

  it('keeps big embed residue out of chunks: a large dropped block between paragraphs ends the chunk', () => {
    const embed = `:::: {.digest-post-embed attrs="{${'\\"k\\":\\"v\\",'.repeat(40)}}"}\n:::`;
    const doc = md(`First paragraph.\n\n${embed}\n\nSecond paragraph.\n\n![](images/small.png)\n\nThird paragraph.\n`);
    const chunks = chunkDocument(doc, { maxTokens: 200, overlapTokens: 10 }, (t) => Math.ceil(t.length / 4));
    expect(chunks.map((c) => c.text)).toEqual(['First paragraph.', 'Second paragraph.\n\n![](images/small.png)\n\nThird paragraph.']);
  });
});

describe('chunkDocument on turns', () => {
  const turn = (speaker: string, n: number, ts: string) =>
    `**${speaker}** \\[${ts}\\]: ${Array.from({ length: n }, (_, i) => `w${i}.`).join(' ')}`;
  const convo = [
    '## Transcript',
    turn('Ann', 3, '00:00:01'), // "Yeah."-sized: merges into the next turn
    turn('Bob', 40, '00:00:05'),
    turn('Ann', 40, '00:01:00'),
    turn('Ann', 40, '00:01:30'), // same speaker again: may pack with the previous
    turn('Bob', 120, '00:02:00'), // over budget: split with overlap, all Bob
    turn('Ann', 2, '00:03:00'), // short last turn: merges backwards
  ].join('\n\n');

  it('one speaker per chunk except short turns merged into the next (speaker = most of the text, all listed)', () => {
    const doc = md(convo);
    expect(doc.meta.type).toBe('interview');
    const chunks = chunkDocument(doc, { maxTokens: 100, overlapTokens: 10 }, words);
    expectValidChunks(doc, chunks);
    expectWithinBudget(
      chunks.map((c) => c.text),
      100,
    );
    const speakersIn = (text: string) => [...text.matchAll(/\*\*(\w+)\*\*/g)].map((m) => m[1]);
    const [first, second, ...rest] = chunks;
    expect(first).toMatchObject({ speaker: 'Bob', timestamp: '00:00:05', speakers: ['Ann', 'Bob'], headingPath: ['Transcript'] });
    expect(speakersIn(first?.text ?? '')).toEqual(['Ann', 'Bob']);
    expect(second).toMatchObject({ speaker: 'Ann', timestamp: '00:01:00', speakers: ['Ann'] });
    expect(speakersIn(second?.text ?? '')).toEqual(['Ann', 'Ann']);
    const bob = rest.filter((c) => c.timestamp === '00:02:00');
    expect(bob.length).toBeGreaterThanOrEqual(2);
    for (const c of bob) expect(c.speaker).toBe('Bob');
    // The short last turn joined the previous chunk.
    expect(chunks.at(-1)?.text.endsWith('w0. w1.')).toBe(true);
    expect(chunks.at(-1)?.speaker).toBe('Bob');
    expect(MIN_TURN_TOKENS).toBe(30);
  });
});

describe('chunkDocument with synthetic blocks', () => {
  it('chunks JSONL-style documents citing the record line', () => {
    const source = 'One. Two. Three. Four.';
    const block: Block = { kind: 'paragraph', start: 0, end: source.length, headingPath: [], speaker: null, timestamp: null };
    const doc: ParsedDocument = {
      meta: {
        docId: 'r',
        root: '',
        relPath: 'x.jsonl',
        title: null,
        subtitle: null,
        date: null,
        url: null,
        type: 'record',
        sourceType: null,
        container: null,
        chapter: null,
        people: [],
        tags: [],
        authors: [],
        extra: {},
      },
      source,
      lineBase: 42,
      linesMapToFile: false,
      blocks: [block],
      warnings: [],
    };
    const chunks = chunkDocument(doc, { maxTokens: 2, overlapTokens: 1 }, words);
    expectValidChunks(doc, chunks);
    expect(chunks.every((c) => c.lineStart === 42 && c.lineEnd === 42)).toBe(true);
    expect(chunks.map((c) => c.text)).toEqual(['One. Two.', 'Two. Three.', 'Three. Four.']);
  });
});
