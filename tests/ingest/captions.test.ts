import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { parseFile } from '../../src/ingest/parse.js';
import { expectValidChunks, words } from './helpers.js';

const VTT = `WEBVTT
Kind: captions

NOTE a comment block
that spans lines

intro
00:00:01.000 --> 00:00:04.000
<v Nathan Lambert>Welcome back to the show.

00:00:04.500 --> 00:00:07.000 align:start
<v Nathan Lambert>Today we talk about RLHF.

00:00:07.500 --> 00:00:09.000
<v.guest Ross Taylor>Thanks for having me.
It is great to be here.

01:02:03.000 --> 01:02:05.000
<v Nathan Lambert>Last words.
`;

const SRT = `1
00:00:01,000 --> 00:00:03,000
Ann Lee: Hello there.

2
00:00:03,500 --> 00:00:05,000
This continues Ann.

3
00:00:05,500 --> 00:00:07,000
Bob Ray: Hi Ann.
`;

const PLAIN_SRT = `1
00:00:01,000 --> 00:00:02,000
First cue.

2
00:00:02,000 --> 00:00:03,000
Second cue.
`;

describe('captions', () => {
  it('WebVTT: merges consecutive cues of one voice into a turn with the first start time', () => {
    const doc = parseFile({ relPath: 'ep1.vtt', docId: 'ep1', content: VTT });
    expect(doc.meta.type).toBe('transcript');
    expect(doc.meta.title).toBe('ep1');
    expect(doc.blocks.map((b) => [b.kind, b.speaker, b.timestamp])).toEqual([
      ['turn', 'Nathan Lambert', '00:00:01'],
      ['turn', 'Ross Taylor', '00:00:07'],
      ['turn', 'Nathan Lambert', '01:02:03'],
    ]);
    const [first, second] = doc.blocks;
    expect(VTT.slice(first?.start, first?.end)).toBe(
      '<v Nathan Lambert>Welcome back to the show.\n\n00:00:04.500 --> 00:00:07.000 align:start\n<v Nathan Lambert>Today we talk about RLHF.',
    );
    expect(VTT.slice(second?.start, second?.end)).toBe('<v.guest Ross Taylor>Thanks for having me.\nIt is great to be here.');
    const chunks = chunkDocument(doc, { maxTokens: 100, overlapTokens: 10 }, words);
    expectValidChunks(doc, chunks);
    expect(chunks.map((c) => c.timestamp)).toContain('00:00:07');
  });

  it('SRT: `Name:` prefixes set the speaker; unlabelled cues continue it', () => {
    const doc = parseFile({ relPath: 'a/b.srt', docId: 'b', content: SRT.replaceAll('\n', '\r\n') });
    expect(doc.blocks.map((b) => [b.speaker, b.timestamp])).toEqual([
      ['Ann Lee', '00:00:01'],
      ['Bob Ray', '00:00:05'],
    ]);
    const crlf = doc.source;
    expect(crlf.slice(doc.blocks[1]?.start, doc.blocks[1]?.end)).toBe('Bob Ray: Hi Ann.');
    expectValidChunks(doc, chunkDocument(doc, { maxTokens: 50, overlapTokens: 5 }, words));
  });

  it('cues without speakers stay one block each so chunks keep precise times', () => {
    const doc = parseFile({ relPath: 'p.srt', docId: 'p', content: PLAIN_SRT });
    expect(doc.blocks.map((b) => [b.speaker, b.timestamp, PLAIN_SRT.slice(b.start, b.end)])).toEqual([
      [null, '00:00:01', 'First cue.'],
      [null, '00:00:02', 'Second cue.'],
    ]);
    const chunks = chunkDocument(doc, { maxTokens: 3, overlapTokens: 0 }, words);
    expect(chunks.map((c) => [c.text, c.timestamp])).toEqual([
      ['First cue.', '00:00:01'],
      ['Second cue.', '00:00:02'],
    ]);
  });

  it('warns on a caption file without cues', () => {
    const doc = parseFile({ relPath: 'empty.vtt', docId: 'e', content: 'WEBVTT\n\n' });
    expect(doc.blocks).toEqual([]);
    expect(doc.warnings[0]).toMatch(/^empty\.vtt:1: no VTT cues/);
  });
});
