import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, SHARED_DATA } from './paths.js';

/** The archive evaluation set: questions an author asks of their own writing, with the lines that answer them. */
export const QUESTIONS_FILE = path.join(REPO, 'eval', 'archive-questions.jsonl');
/** The two roots that make up the archive, relative to the data root, in the order they are ingested. */
export const ARCHIVE_ROOTS = ['interconnects', 'rlhf-book/chapters'] as const;

export const KINDS = ['paraphrase', 'describe', 'quote', 'topic', 'timeline', 'guest', 'book', 'fact'] as const;
export type Kind = (typeof KINDS)[number];
export const HALVES = ['tune', 'test'] as const;
export type Half = (typeof HALVES)[number];

export interface Relevant {
  /** Path relative to the data root, e.g. `interconnects/public/2024/2024-….md`. */
  file: string;
  /** 1-based inclusive line range of the passage that answers the question. */
  lines: [number, number];
}

export interface Question {
  id: string;
  query: string;
  kind: Kind;
  half: Half;
  /** Every document that answers it; the first is the primary one. */
  relevant: Relevant[];
  note: string;
}

/** Where the archive is: `PRIORS_EVAL_DATA` if set, else `../shared/data`; undefined when it is absent. */
export function findDataRoot(): string | undefined {
  const root = process.env.PRIORS_EVAL_DATA ?? SHARED_DATA;
  return ARCHIVE_ROOTS.every((r) => existsSync(path.join(root, r))) ? root : undefined;
}

const fileLines = new Map<string, string[]>();
/** A file's lines (1-based access via `[n - 1]`), read once per process. */
export function linesOf(dataRoot: string, file: string): string[] {
  const abs = path.join(dataRoot, file);
  let lines = fileLines.get(abs);
  if (!lines) {
    lines = readFileSync(abs, 'utf8').split(/\r?\n/);
    fileLines.set(abs, lines);
  }
  return lines;
}

/** The text of a relevant passage. */
export function passageText(dataRoot: string, rel: Relevant): string {
  return linesOf(dataRoot, rel.file)
    .slice(rel.lines[0] - 1, rel.lines[1])
    .join('\n');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parse and check the question file: schema, unique ids, and that every relevant range lies inside its file and
 * holds text. Problems are collected (one line each, naming the record and field) rather than thrown one by one,
 * so a broken file is fixed in one pass.
 */
export function loadQuestions(file: string, dataRoot: string | undefined): { questions: Question[]; problems: string[] } {
  const questions: Question[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${path.basename(file)}:${i + 1}`;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        problems.push(`${where}: not valid JSON`);
        return;
      }
      if (!isRecord(rec)) {
        problems.push(`${where}: not a JSON object`);
        return;
      }
      const bad = (field: string, why: string) => problems.push(`${where} (${String(rec.id)}): ${field} ${why}`);
      const before = problems.length;
      if (typeof rec.id !== 'string' || !/^q\d{3,}$/.test(rec.id)) bad('id', 'must look like "q001"');
      else if (ids.has(rec.id)) bad('id', 'is a duplicate');
      if (typeof rec.query !== 'string' || rec.query.trim().length < 8) bad('query', 'must be a sentence');
      if (!KINDS.includes(rec.kind as Kind)) bad('kind', `must be one of ${KINDS.join(', ')}`);
      if (!HALVES.includes(rec.half as Half)) bad('half', 'must be "tune" or "test"');
      if (typeof rec.note !== 'string' || !rec.note.trim()) bad('note', 'must say why this is the answer');
      if (!Array.isArray(rec.relevant) || rec.relevant.length === 0) bad('relevant', 'must list at least one passage');
      const seen = new Set<string>();
      for (const [j, r] of (Array.isArray(rec.relevant) ? rec.relevant : []).entries()) {
        const f = `relevant[${j}]`;
        if (!isRecord(r) || typeof r.file !== 'string' || !Array.isArray(r.lines) || r.lines.length !== 2) {
          bad(f, 'must be {"file": string, "lines": [start, end]}');
          continue;
        }
        const [a, b] = r.lines as unknown[];
        if (!Number.isInteger(a) || !Number.isInteger(b) || (a as number) < 1 || (b as number) < (a as number)) {
          bad(`${f}.lines`, 'must be 1-based [start, end] with start ≤ end');
          continue;
        }
        if (seen.has(r.file)) bad(`${f}.file`, 'lists the same document twice');
        seen.add(r.file);
        if (!dataRoot) continue;
        if (!existsSync(path.join(dataRoot, r.file))) {
          bad(`${f}.file`, `does not exist: ${r.file}`);
          continue;
        }
        const n = linesOf(dataRoot, r.file).length;
        if ((b as number) > n) bad(`${f}.lines`, `[${a}, ${b}] runs past the end of ${r.file} (${n} lines)`);
        else if (!passageText(dataRoot, { file: r.file, lines: [a as number, b as number] }).trim())
          bad(`${f}.lines`, `[${a}, ${b}] is blank in ${r.file}`);
      }
      if (problems.length === before) {
        ids.add(rec.id as string);
        questions.push(rec as unknown as Question);
      }
    });
  return { questions, problems };
}

// A common English stop-word list (the words any retrieval system ignores); nothing archive-specific is added, so
// request words like "post" or "wrote" still count as content words and the overlap figure errs high, not low.
const STOP = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by
can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves
then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's will with won't would
wouldn't you you'd you'll you're you've your yours yourself yourselves s t d ll m re ve just also`
    .split(/\s+/)
    .flatMap((w) => [w, w.replace(/'/g, '')]),
);

/** Stemming-lite: enough to make "models"/"model" and "tuning"/"tuned"/"tune" meet, nothing cleverer. */
export function stemLite(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3).replace(/(.)\1$/, '$1');
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2).replace(/(.)\1$/, '$1');
  if (w.length > 4 && w.endsWith('e')) return w.slice(0, -1);
  return w;
}

/** Distinct content-word stems of a text (lower-cased, markdown escapes and punctuation removed, stop words dropped). */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text
    .toLowerCase()
    .replace(/\\/g, '')
    .replace(/[’‘]/g, "'")
    .split(/[^a-z0-9']+/)) {
    const w = raw.replace(/^'+|'+$/g, '').replace(/'s$/, '');
    if (w.length < 2 || STOP.has(w)) continue;
    out.add(stemLite(w.replace(/'/g, '')));
  }
  return out;
}

/**
 * How many content words a question shares with the passages that answer it: the maximum over its relevant
 * passages, so a question counts as low-overlap only if no answering passage repeats its words.
 */
export function overlapOf(q: Question, dataRoot: string): { count: number; shared: string[] } {
  const words = contentWords(q.query);
  let best: string[] = [];
  for (const rel of q.relevant) {
    const passage = contentWords(passageText(dataRoot, rel));
    const shared = [...words].filter((w) => passage.has(w));
    if (shared.length > best.length) best = shared;
  }
  return { count: best.length, shared: best };
}
