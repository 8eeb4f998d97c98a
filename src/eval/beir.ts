import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PriorsError, UsageError } from '../core/errors.js';

/** A BEIR-layout dataset: corpus.jsonl, queries.jsonl, qrels/<split>.tsv. */
export interface BeirDataset {
  dir: string;
  corpusFile: string;
  queries: Map<string, string>;
  /** query id → (doc id → graded relevance), only queries with judgements. */
  qrels: Map<string, Map<string, number>>;
}

function readLines(file: string): string[] {
  if (!existsSync(file)) throw new UsageError(`${file}: missing — expected the BEIR layout (corpus.jsonl, queries.jsonl, qrels/test.tsv)`);
  return readFileSync(file, 'utf8').split('\n');
}

export function loadBeir(dir: string, split = 'test'): BeirDataset {
  const corpusFile = path.join(dir, 'corpus.jsonl');
  if (!existsSync(corpusFile)) throw new UsageError(`${corpusFile}: missing — expected the BEIR layout`);
  const queries = new Map<string, string>();
  const queryFile = path.join(dir, 'queries.jsonl');
  readLines(queryFile).forEach((line, i) => {
    if (!line.trim()) return;
    let q: { _id?: unknown; text?: unknown };
    try {
      q = JSON.parse(line) as typeof q;
    } catch {
      throw new PriorsError(`${queryFile}:${i + 1}: not valid JSON`);
    }
    if (typeof q.text === 'string' && (typeof q._id === 'string' || typeof q._id === 'number')) queries.set(String(q._id), q.text);
  });
  const qrels = new Map<string, Map<string, number>>();
  const qrelFile = path.join(dir, 'qrels', `${split}.tsv`);
  readLines(qrelFile).forEach((line, i) => {
    const cols = line.trim().split('\t');
    if (cols.length < 3 || (i === 0 && !/^\d+$/.test(cols[2] ?? ''))) return; // header or blank
    const [qid, docId, rel] = cols as [string, string, string];
    const grade = Number(rel);
    if (!queries.has(qid) || !Number.isFinite(grade)) return;
    const m = qrels.get(qid) ?? new Map<string, number>();
    m.set(docId, grade);
    qrels.set(qid, m);
  });
  if (qrels.size === 0) throw new PriorsError(`${qrelFile}: no judged queries found`);
  return { dir, corpusFile, queries, qrels };
}
