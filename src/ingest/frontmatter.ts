import matter from 'gray-matter';
import { parse as parseToml } from 'smol-toml';
import { errorMessage } from '../core/errors.js';
import { describeCut, fieldBudget, jsonSafeRecord } from './metadata.js';

export type FrontMatterFormat = 'yaml' | 'toml';

export interface FrontMatter {
  /** The parsed fields, JSON-safe (dates as ISO strings) and bounded (see metadata.ts FIELD_LIMITS). */
  data: Record<string, unknown>;
  /** Offset in the ORIGINAL text where the body starts (after the closing delimiter line). */
  bodyOffset: number;
  format: FrontMatterFormat | null;
  /** True when strict parsing failed and the fields were recovered line by line. */
  recovered: boolean;
  warnings: string[];
}

interface Block {
  format: FrontMatterFormat;
  /** Offset of the opening delimiter line. */
  open: number;
  /** Offset just past the closing delimiter line (including its line break). */
  end: number;
  /** Text between the delimiter lines. */
  inner: string;
  /** Offset of `inner` in the original text. */
  innerStart: number;
}

const LEADING_COMMENT = /\s*<!--[\s\S]*?-->[ \t]*\r?\n\s*/y;
const OPEN_LINE = /(---|\+\+\+)[ \t]*([A-Za-z]*)[ \t]*\r?\n/y;

/**
 * Read YAML (`---`) or TOML (`+++`) front matter. A leading HTML comment (the rlhf-book
 * copyright header) is skipped first; it is not part of the body when front matter follows it.
 * Never throws: broken front matter is recovered line by line with a warning naming file and line.
 */
export function readFrontMatter(content: string, relPath: string): FrontMatter {
  const block = findBlock(content);
  if (!block) return { data: {}, bodyOffset: content.charCodeAt(0) === 0xfeff ? 1 : 0, format: null, recovered: false, warnings: [] };
  let parsed: Record<string, unknown>;
  try {
    parsed = strictParse(block);
  } catch (err) {
    const { data, badLines } = recoverFields(block, countLines(content, block.innerStart));
    const line = badLines[0] ?? errorLine(err, content, block);
    const fields = badLines.length > 0 ? ` (${describeBadLines(content, badLines)})` : '';
    const warning =
      `${relPath}:${line}: front matter is not valid ${block.format.toUpperCase()}${fields}: ${firstLine(errorMessage(err))}; ` +
      'fields recovered line by line';
    return { data, bodyOffset: block.end, format: block.format, recovered: true, warnings: [warning] };
  }
  const budget = fieldBudget();
  const data = jsonSafeRecord(parsed, budget);
  const warnings = budget.cut ? [`${relPath}:${countLines(content, block.open)}: front matter ${describeCut(budget)}`] : [];
  return { data, bodyOffset: block.end, format: block.format, recovered: false, warnings };
}

/** Locate the delimited block; null when the text has no complete front matter. */
function findBlock(content: string): Block | null {
  let pos = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  LEADING_COMMENT.lastIndex = pos;
  const comment = LEADING_COMMENT.exec(content);
  if (comment) pos += comment[0].length;
  OPEN_LINE.lastIndex = pos;
  const open = OPEN_LINE.exec(content);
  if (!open) return null;
  const delim = open[1] ?? '---';
  const lang = (open[2] ?? '').toLowerCase();
  const format: FrontMatterFormat = delim === '+++' || lang === 'toml' ? 'toml' : 'yaml';
  if (lang !== '' && lang !== 'yaml' && lang !== 'yml' && lang !== 'toml') return null;
  const innerStart = pos + open[0].length;
  // The closing delimiter must be a line of its own; otherwise `---` was a thematic break.
  let lineStart = innerStart;
  while (lineStart <= content.length) {
    const nl = content.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? content.length : nl;
    if (content.slice(lineStart, lineEnd).trimEnd() === delim) {
      return {
        format,
        open: pos,
        end: nl === -1 ? content.length : nl + 1,
        inner: content.slice(innerStart, lineStart),
        innerStart,
      };
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return null;
}

function strictParse(block: Block): Record<string, unknown> {
  const delim = block.format === 'toml' ? '+++' : '---';
  // Hand gray-matter exactly the delimited block (no leading comment, no body), so its own
  // delimiter search cannot wander into the body; the body offset is ours.
  const text = `${delim}\n${block.inner}${delim}\n`;
  const file = matter(text, {
    delimiters: delim,
    language: block.format,
    engines: { toml: (input: string) => parseToml(input) },
  });
  const data: unknown = file.data;
  return isRecord(data) ? data : {};
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

const KEY_LINE = /^([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$/;
const LIST_ITEM = /^[ \t]+-[ \t]+(.*?)[ \t]*$/;

/** Best-effort fields from a block strict parsing rejected: top-level `key: value` lines and simple `- item` lists. */
function recoverFields(block: Block, firstLineNo: number): { data: Record<string, unknown>; badLines: number[] } {
  const data: Record<string, unknown> = {};
  const badLines: number[] = [];
  const lines = block.inner.split('\n');
  let listKey: string | null = null;
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '');
    const kv = KEY_LINE.exec(line);
    if (kv) {
      const key = kv[1] ?? '';
      const value = kv[2] ?? '';
      if (value === '') {
        listKey = key;
        data[key] = [];
        return;
      }
      listKey = null;
      if (!isValidScalar(value)) badLines.push(firstLineNo + i);
      data[key] = scalar(unquote(value));
      return;
    }
    const item = LIST_ITEM.exec(line);
    const list = listKey === null ? undefined : data[listKey];
    if (item && Array.isArray(list)) list.push(scalar(unquote(item[1] ?? '')));
  });
  return { data, badLines };
}

/** Quoted YAML scalars must close exactly once; `""10 years""` does not. */
function isValidScalar(value: string): boolean {
  if (value.startsWith('"')) return /^"(?:[^"\\]|\\.)*"(?:[ \t]+#.*)?$/.test(value);
  if (value.startsWith("'")) return /^'(?:[^']|'')*'(?:[ \t]+#.*)?$/.test(value);
  return true;
}

/** Strip one layer of matching surrounding quotes. */
function unquote(value: string): string {
  const q = value[0];
  if (value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q)) return value.slice(1, -1);
  return value;
}

function scalar(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}

function describeBadLines(content: string, lines: number[]): string {
  const starts = content.split('\n');
  return lines
    .map((l) => {
      const key = /^([\w.-]+)/.exec(starts[l - 1] ?? '')?.[1] ?? '?';
      return `field \`${key}\` on line ${l} has unescaped quotes`;
    })
    .join('; ');
}

/** File line of the parser's error position, else the opening delimiter line. */
function errorLine(err: unknown, content: string, block: Block): number {
  const openLine = countLines(content, block.open);
  if (typeof err === 'object' && err !== null && 'mark' in err) {
    const mark: unknown = err.mark;
    if (typeof mark === 'object' && mark !== null && 'line' in mark && typeof mark.line === 'number') {
      // gray-matter hands js-yaml the text after `---`, whose line 0 is the rest of the opening line.
      return openLine + mark.line;
    }
  }
  if (typeof err === 'object' && err !== null && 'line' in err && typeof err.line === 'number') {
    return openLine + err.line;
  }
  return openLine;
}

function countLines(content: string, offset: number): number {
  let n = 1;
  for (let i = content.indexOf('\n'); i !== -1 && i < offset; i = content.indexOf('\n', i + 1)) n++;
  return n;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
