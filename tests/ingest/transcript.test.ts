import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse.js';
import { detectTranscript, matchTurn, normaliseTimestamp, scanLines } from '../../src/ingest/transcript.js';

const NB = '\u00a0';

describe('matchTurn', () => {
  it.each([
    ['**Nathan Lambert** \\[00:12:34\\]: Hi', 'Nathan Lambert', '00:12:34', 'timed'],
    [`**Riley G.**${NB}\\[00:01:08\\]: Hey`, 'Riley G.', '00:01:08', 'timed'],
    [`**Riley G.**${NB}Hey, Nathan`, 'Riley G.', null, 'bare'],
    ['**Kyle Lo**: Hi', 'Kyle Lo', null, 'labelled'],
    [`\\[00:00:25\\]${NB} **Michael Poli:**${NB} Sure.`, 'Michael Poli', '00:00:25', 'timed'],
    ['**Nathan Lambert** (00:00:01): Hello', 'Nathan Lambert', '00:00:01', 'timed'],
    ['Nathan Lambert: Hey, Ross.', 'Nathan Lambert', null, 'plain'],
    ['**Nathan Lambert** [00:12:34]: Hi', 'Nathan Lambert', '00:12:34', 'timed'],
    ['Dean W Ball (1:02:03): Yes', 'Dean W Ball', '01:02:03', 'timed'],
    ['[12:34] Tri Dao: Right', 'Tri Dao', '00:12:34', 'timed'],
    ['*Created with AI, pardon typos!*Nathan Lambert: Hey, Ross.', 'Nathan Lambert', null, 'plain'],
  ])('%s', (line, speaker, timestamp, strength) => {
    expect(matchTurn(line, true)).toMatchObject({ speaker, timestamp, strength });
  });

  it('finds where the label starts in the line', () => {
    const line = '*Note in italics.*Nathan Lambert: Hey.';
    expect(line.slice(matchTurn(line, true)?.offset)).toBe('Nathan Lambert: Hey.');
  });

  it.each([
    '-   \\[00:02:12\\] Papers with Code',
    '\\[00:40:40\\] How to think about pretraining data work',
    'Note: this is a note.',
    'Update: we fixed it.',
    '**Update:** new numbers.',
    "**Meta**'s model is out.",
    '**Llama 3** is out.',
    'The takeaway: do it.',
    'https://example.com: a link',
    '> Nathan Lambert: quoted',
    '    Nathan Lambert: indented code',
  ])('no turn: %s', (line) => {
    expect(matchTurn(line, true)).toBeNull();
  });

  it('normalises timestamps to hh:mm:ss', () => {
    expect(normaliseTimestamp('1:02:03')).toBe('01:02:03');
    expect(normaliseTimestamp('02:03')).toBe('00:02:03');
    expect(normaliseTimestamp('00:00:01.500')).toBe('00:00:01');
  });
});

describe('detectTranscript', () => {
  const detect = (text: string) => detectTranscript(scanLines(text, 0, text.length, true));

  it('does not turn a newsletter with Note:/Update: lines and bold leads into a transcript', () => {
    const text = [
      'Note: this post is late.',
      '**OpenAI** released a model.',
      '**Anthropic** released one too.',
      'Update: fixed a number.',
      'Note: another note.',
      '**Google:** also shipped.',
      '**Meta:** and more.',
      'Update: final.',
    ].join('\n\n');
    expect(detect(text)).toBeNull();
  });

  it('needs two speakers with several turns each', () => {
    const one = ['**Nathan** [00:00:01]: a', '**Nathan** [00:00:02]: b', '**Nathan** [00:00:03]: c', '**Nathan** [00:00:04]: d'].join(
      '\n\n',
    );
    expect(detect(one)).toBeNull();
    const two = ['**Ann** [00:00:01]: a', '**Bob** [00:00:02]: b', '**Ann** [00:00:03]: c', '**Bob** [00:00:04]: d'].join('\n\n');
    expect(detect(two)?.turns.map((t) => t.speaker)).toEqual(['Ann', 'Bob', 'Ann', 'Bob']);
    // Unformatted `Name:` labels need more turns.
    const plain4 = ['Ann Lee: a', 'Bob Ray: b', 'Ann Lee: c', 'Bob Ray: d'].join('\n\n');
    expect(detect(plain4)).toBeNull();
    expect(detect(`${plain4}\n\nAnn Lee: e\n\nBob Ray: f`)?.turns).toHaveLength(6);
  });

  it('starts after a Transcript heading, ignoring quotes in the show notes', () => {
    const text = [
      'Show notes. **Ann:** said something.',
      '**Ann:** a teaser quote.',
      '### Chapters',
      '-   \\[00:00:01\\] Intro',
      '-   \\[00:01:00\\] Topic',
      '### **Transcript**',
      'Built with a tool.',
      '**Ann** \\[00:00:01\\]: Hi.',
      '**Bob** \\[00:00:05\\]: Hello.',
      '#### A topic',
      '**Ann** \\[00:01:00\\]: Question?',
      '**Bob** Answer without a timestamp.',
      '**Bob** \\[00:02:00\\]: More.',
    ].join('\n\n');
    const t = detect(text);
    expect(t).not.toBeNull();
    expect(text.slice(t?.start ?? 0).startsWith('**Ann** \\[00:00:01\\]')).toBe(true);
    expect(t?.turns.map((x) => [x.speaker, x.timestamp])).toEqual([
      ['Ann', '00:00:01'],
      ['Bob', '00:00:05'],
      ['Ann', '00:01:00'],
      ['Bob', null],
      ['Bob', '00:02:00'],
    ]);
    expect(t?.headings.map((h) => h.text)).toEqual(['A topic']);
  });
});

describe('parseFile transcripts', () => {
  it('gives prose blocks before the transcript and one turn block per turn after, with topic headings in the path', () => {
    const text = [
      '---',
      'title: Interviewing Ann',
      'type: podcast',
      '---',
      'Intro prose.',
      '## Transcript',
      '**Ann** \\[00:00:01\\]: Hi.\n\nSecond paragraph of Ann.',
      '**Bob** \\[00:00:05\\]: Hello.',
      '### Topic two',
      '**Ann** \\[00:01:00\\]: Question?',
      '**Bob** \\[00:01:10\\]: Answer.',
    ].join('\n\n');
    const doc = parseFile({ relPath: 'i.md', docId: 'i', content: text });
    expect(doc.meta.type).toBe('interview');
    expect(doc.meta.extra['type']).toBe('podcast');
    expect(doc.blocks.map((b) => [b.kind, b.speaker, b.timestamp, b.headingPath.join('>'), text.slice(b.start, b.end)])).toEqual([
      ['paragraph', null, null, '', 'Intro prose.'],
      ['heading', null, null, 'Transcript', '## Transcript'],
      ['turn', 'Ann', '00:00:01', 'Transcript', '**Ann** \\[00:00:01\\]: Hi.\n\nSecond paragraph of Ann.'],
      ['turn', 'Bob', '00:00:05', 'Transcript', '**Bob** \\[00:00:05\\]: Hello.'],
      ['heading', null, null, 'Transcript>Topic two', '### Topic two'],
      ['turn', 'Ann', '00:01:00', 'Transcript>Topic two', '**Ann** \\[00:01:00\\]: Question?'],
      ['turn', 'Bob', '00:01:10', 'Transcript>Topic two', '**Bob** \\[00:01:10\\]: Answer.'],
    ]);
  });

  it('detects a plain-text transcript in a .txt file, with prose before it', () => {
    const text =
      'Recorded in 2024.\n\nHOST: no\nAnn Lee: Hi there.\nBob Ray: Hello.\nAnn Lee: How are you?\nBob Ray: Fine.\nAnn Lee: Good.\nBob Ray: Bye.\n';
    const doc = parseFile({ relPath: 'talk.txt', docId: 't', content: text });
    expect(doc.meta.type).toBe('interview');
    const turns = doc.blocks.filter((b) => b.kind === 'turn');
    expect(turns.map((b) => b.speaker)).toEqual(['Ann Lee', 'Bob Ray', 'Ann Lee', 'Bob Ray', 'Ann Lee', 'Bob Ray']);
    expect(text.slice(turns[0]?.start, turns[0]?.end)).toBe('Ann Lee: Hi there.');
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph' });
  });
});
