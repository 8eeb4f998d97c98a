import { PriorsError, errorMessage } from '../core/errors.js';
import type { Block, DocMeta, ParsedDocument, RootSettings } from '../core/types.js';
import { captionBlocks } from './captions.js';
import { readFrontMatter } from './frontmatter.js';
import { parseJsonlRecords, type JsonlResult } from './jsonl.js';
import { paragraphBlocks } from '../text/lines.js';
import { markdownBlocks, type MarkdownBlocks } from './markdown.js';
import { buildMeta, type MetaInput } from './metadata.js';
import { detectTranscript, fullNames, namesInTitle, scanLines, speakersOf, transcriptBlocks } from './transcript.js';

export type { JsonlResult } from './jsonl.js';

const MARKDOWN = new Set(['.md', '.mdx', '.markdown']);

/** Extensions (lower case, with the dot) the ingester reads. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([...MARKDOWN, '.txt', '.vtt', '.srt', '.jsonl']);

export interface FileInput {
  /** POSIX path relative to its root. */
  relPath: string;
  docId: string;
  content: string;
  /** Settings of the root the file belongs to (URL template, book, author). */
  root?: RootSettings | undefined;
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
export function parseJsonl(input: { relPath: string; content: string; root?: RootSettings | undefined }): JsonlResult {
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
  const named = withFullNames(
    {
      docId: input.docId,
      relPath,
      fields: idsAsWritten(fm.data, content.slice(0, fm.bodyOffset)),
      firstHeading,
      speakers: speakersOf(transcript),
      kind: 'markdown',
      root: input.root,
    },
    blocks,
  );
  return { ...named, source: content, lineBase: 1, linesMapToFile: true, warnings };
}

/** Front-matter fields that are identifiers, not numbers, even when YAML reads them as one. */
const ID_FIELDS = ['post_id', 'slug', 'id'];

/**
 * YAML reads `post_id: 27710009.2020` as the number 27710009.202, losing the slug `2020`: identifier
 * fields that came out as numbers are taken back as written in the front matter.
 */
function idsAsWritten(fields: Record<string, unknown>, frontMatter: string): Record<string, unknown> {
  let out = fields;
  for (const key of ID_FIELDS) {
    if (typeof fields[key] !== 'number') continue;
    const m = new RegExp(`^${key}\\s*[:=]\\s*["']?([^"'\\s#]+)`, 'm').exec(frontMatter);
    if (m?.[1]) out = { ...out, [key]: m[1] };
  }
  return out;
}

/**
 * Metadata, with short speaker labels (`Riley G.`) replaced by the full name when one fits among the
 * speakers, the authors or the names in the title: one person is one speaker, in filters and citations.
 */
function withFullNames(input: MetaInput, blocks: Block[]): { meta: DocMeta; blocks: Block[] } {
  const meta = buildMeta(input);
  const speakers = input.speakers ?? [];
  const names = fullNames(speakers, [...meta.authors, ...namesInTitle(meta.title)]);
  if (names.size === 0) return { meta, blocks };
  const rename = (s: string) => names.get(s) ?? s;
  return {
    meta: buildMeta({ ...input, speakers: [...new Set(speakers.map(rename))] }),
    blocks: blocks.map((b) => (b.speaker === null ? b : { ...b, speaker: rename(b.speaker) })),
  };
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
  const named = withFullNames(
    {
      docId: input.docId,
      relPath: input.relPath,
      fields: {},
      firstHeading: null,
      speakers: speakersOf(transcript),
      kind: 'text',
      root: input.root,
    },
    blocks,
  );
  return { ...named, source: content, lineBase: 1, linesMapToFile: true, warnings: [] };
}

function parseCaptions(input: FileInput, format: 'vtt' | 'srt'): ParsedDocument {
  const blocks = captionBlocks(input.content, format);
  const meta = buildMeta({
    docId: input.docId,
    relPath: input.relPath,
    fields: {},
    firstHeading: null,
    speakers: [...new Set(blocks.flatMap((b) => (b.speaker ? [b.speaker] : [])))],
    kind: 'captions',
    root: input.root,
  });
  const warnings = blocks.length === 0 ? [`${input.relPath}:1: no ${format.toUpperCase()} cues found; nothing to index`] : [];
  return { meta, source: input.content, lineBase: 1, linesMapToFile: true, blocks, warnings };
}
