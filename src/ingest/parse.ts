import { PriorsError, errorMessage } from '../core/errors.js';
import type { ParsedDocument } from '../core/types.js';
import { captionBlocks } from './captions.js';
import { readFrontMatter } from './frontmatter.js';
import { parseJsonlRecords, type JsonlResult } from './jsonl.js';
import { paragraphBlocks } from '../text/lines.js';
import { markdownBlocks, type MarkdownBlocks } from './markdown.js';
import { buildMeta } from './metadata.js';
import { detectTranscript, scanLines, transcriptBlocks } from './transcript.js';

export type { JsonlResult } from './jsonl.js';

const MARKDOWN = new Set(['.md', '.mdx', '.markdown']);

/** Extensions (lower case, with the dot) the ingester reads. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([...MARKDOWN, '.txt', '.vtt', '.srt', '.jsonl']);

export interface FileInput {
  /** POSIX path relative to its root. */
  relPath: string;
  docId: string;
  content: string;
}

/** Parse one file into blocks. Pure; never throws on odd content (only on an unsupported extension). */
export function parseFile(input: FileInput): ParsedDocument {
  const ext = extensionOf(input.relPath);
  if (MARKDOWN.has(ext)) return parseMarkdown(input);
  if (ext === '.txt') return parseText(input);
  if (ext === '.vtt' || ext === '.srt') return parseCaptions(input, ext === '.vtt' ? 'vtt' : 'srt');
  if (ext === '.jsonl') throw new PriorsError(`${input.relPath}: a .jsonl file holds many documents; read it with parseJsonl`);
  throw new PriorsError(`${input.relPath}: unsupported file type "${ext || '(none)'}"; supported: ${[...SUPPORTED_EXTENSIONS].join(' ')}`);
}

/** JSONL export: one document per line; bad lines are reported with their line number. */
export function parseJsonl(input: { relPath: string; content: string }): JsonlResult {
  return parseJsonlRecords(input);
}

export function extensionOf(relPath: string): string {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function parseMarkdown(input: FileInput): ParsedDocument {
  const { content, relPath } = input;
  const fm = readFrontMatter(content, relPath);
  const warnings = [...fm.warnings];
  // Transcript detection is a line scan; the transcript part then needs no markdown parse
  // (turns are line-delimited), which keeps long interviews cheap.
  const transcript = detectTranscript(scanLines(content, fm.bodyOffset, content.length, true));
  const proseEnd = transcript ? transcript.start : content.length;
  const prose = safeMarkdown(content, fm.bodyOffset, proseEnd, relPath, warnings);
  for (const note of prose.notes) warnings.push(`${relPath}:${note.line}: ${note.message}`);
  const blocks = transcript ? [...prose.blocks, ...transcriptBlocks(content, transcript, content.length, prose.headings)] : prose.blocks;
  const firstHeading = prose.firstHeading ?? blocks.find((b) => b.kind === 'heading')?.headingPath.at(-1) ?? null;
  const meta = buildMeta({
    docId: input.docId,
    relPath,
    fields: fm.data,
    firstHeading,
    hasTurns: transcript !== null,
    defaultType: 'post',
  });
  return { meta, source: content, lineBase: 1, linesMapToFile: true, blocks, warnings };
}

/** remark does not throw on strings, but a parser bug must not stop an ingest: fall back to paragraphs. */
function safeMarkdown(content: string, from: number, to: number, relPath: string, warnings: string[]): MarkdownBlocks {
  try {
    return markdownBlocks(content, from, to);
  } catch (err) {
    warnings.push(`${relPath}: markdown parse failed (${errorMessage(err)}); indexed as plain paragraphs`);
    return { blocks: paragraphBlocks(content, from, to), headings: [], firstHeading: null, notes: [] };
  }
}

function parseText(input: FileInput): ParsedDocument {
  const { content } = input;
  const from = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  const transcript = detectTranscript(scanLines(content, from, content.length, false));
  const proseEnd = transcript ? transcript.start : content.length;
  const blocks = [
    ...paragraphBlocks(content, from, proseEnd),
    ...(transcript ? transcriptBlocks(content, transcript, content.length, []) : []),
  ];
  const meta = buildMeta({
    docId: input.docId,
    relPath: input.relPath,
    fields: {},
    firstHeading: null,
    hasTurns: transcript !== null,
    defaultType: 'text',
  });
  return { meta, source: content, lineBase: 1, linesMapToFile: true, blocks, warnings: [] };
}

function parseCaptions(input: FileInput, format: 'vtt' | 'srt'): ParsedDocument {
  const blocks = captionBlocks(input.content, format);
  const meta = buildMeta({
    docId: input.docId,
    relPath: input.relPath,
    fields: {},
    firstHeading: null,
    hasTurns: true,
    defaultType: 'transcript',
  });
  const warnings = blocks.length === 0 ? [`${input.relPath}:1: no ${format.toUpperCase()} cues found; nothing to index`] : [];
  return { meta, source: input.content, lineBase: 1, linesMapToFile: true, blocks, warnings };
}
