/**
 * Reading indexed text back (issue 13, D11 D12): JSONL records come back from the field they were indexed
 * from, an edited .jsonl gives a clear one-line message (or the record where it moved), and a file with
 * lone-CR line endings is read as lines.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/core/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { citeTool } from '../../src/tools/cite.js';
import { createToolContext } from '../../src/tools/context.js';
import { getDocumentTool } from '../../src/tools/get-document.js';
import { quoteTool } from '../../src/tools/quote.js';
import { callTool } from '../../src/tools/tool.js';
import { tempDir } from '../helpers/sample-index.js';

const work = tempDir('priors-readback-');
const root = path.join(work, 'archive');
const index = path.join(work, 'index');
const exportFile = path.join(root, 'export.jsonl');
let ctx: ReturnType<typeof createToolContext>;

const RECORDS = [
  { id: 'by-text', title: 'Text', text: 'Calibration is measured against outcomes.' },
  { id: 'by-content', title: 'Content', content: 'Reward models drift when the policy moves.' },
  { _id: 'by-body', title: 'Body', body: 'Evaluation sets leak into training data.' },
];
const jsonl = (records: readonly object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
/** Classic Mac line endings: lone CRs only. */
const LONE_CR =
  '# Old Mac post\r\rThe first paragraph, about calibration\rcurves and their meaning.\r\rThe second paragraph, about reward models.\r';

beforeAll(async () => {
  mkdirSync(root);
  writeFileSync(exportFile, jsonl(RECORDS));
  writeFileSync(path.join(root, 'mac.md'), LONE_CR);
  writeFileSync(path.join(root, 'mac.txt'), LONE_CR.replace('# ', '').replace('reward models', 'preference data'));
  const report = await ingest({ roots: [root], index, embedder: null });
  expect(report.warnings).toEqual([]);
  ctx = createToolContext({ index, onWarning: () => undefined });
});
afterAll(async () => {
  await ctx?.close();
  rmSync(work, { recursive: true, force: true });
});

const get = (docId: string) => callTool(getDocumentTool, ctx, { docId });

describe('JSONL records read back (D11)', () => {
  it('come back from the same field they were indexed from: text, content or body', async () => {
    expect((await get('by-text')).text).toBe('Calibration is measured against outcomes.');
    expect((await get('by-content')).text).toBe('Reward models drift when the policy moves.');
    expect((await get('by-body')).text).toBe('Evaluation sets leak into training data.');
    const q = await callTool(quoteTool, ctx, { text: 'Reward models drift when the policy moves.' });
    expect(q.verdict).toBe('verified');
    const c = await callTool(citeTool, ctx, { docId: 'by-body', lineStart: 3, format: 'plain' });
    expect(c.source.quote).toBe('Evaluation sets leak into training data.');
  });

  it('are found by id when lines moved since ingest, marked stale', async () => {
    writeFileSync(exportFile, jsonl([{ id: 'new', text: 'A record added on top.' }, ...RECORDS]));
    const doc = await get('by-content');
    expect(doc.text).toBe('Reward models drift when the policy moves.');
    expect(doc.stale).toBe(true);
  });

  it('give a one-line message naming file, line and the fix when a record was broken or removed', async () => {
    writeFileSync(exportFile, `${JSON.stringify(RECORDS[0])}\n{"id": "by-content", "content": \n${JSON.stringify(RECORDS[2])}\n`);
    const message =
      'export.jsonl:2: record "by-content" is no longer in the file (it changed since it was indexed) — run `priors ingest` to update the index';
    await expect(get('by-content')).rejects.toThrow(new NotFoundError(message));
    await expect(callTool(citeTool, ctx, { docId: 'by-content' })).rejects.toThrow(message);
    writeFileSync(exportFile, jsonl([RECORDS[0]!]));
    await expect(get('by-body')).rejects.toThrow('export.jsonl:3: record "by-body" is no longer in the file');
    // The others still read, and quote passes the broken one over instead of failing.
    expect((await get('by-text')).text).toBe('Calibration is measured against outcomes.');
    expect((await callTool(quoteTool, ctx, { text: 'Calibration is measured against outcomes.' })).verdict).toBe('verified');
  });
});

describe('lone-CR line endings (D12)', () => {
  it('are read as lines: a title, paragraphs, chunks and line numbers that match', async () => {
    const md = await get('mac.md');
    expect(md.title).toBe('Old Mac post');
    expect(md.totalLines).toBe(7);
    for (const [text, where] of [
      ['The second paragraph, about reward models.', 'archive/mac.md:6'],
      ['The second paragraph, about preference data.', 'archive/mac.txt:6'],
    ]) {
      const q = await callTool(quoteTool, ctx, { text });
      expect(q.verdict).toBe('verified');
      expect(q.locations.map((l) => `${l.docId}:${l.lineStart}`)).toEqual([where]);
    }
    const c = await callTool(citeTool, ctx, { docId: 'mac.md', lineStart: 3, lineEnd: 4, format: 'plain' });
    expect(c.source.quote).toBe('The first paragraph, about calibration\ncurves and their meaning.');
  });
});
