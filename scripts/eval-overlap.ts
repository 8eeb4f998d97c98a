/**
 * How honest is the archive question set? For each question, count the content words it shares with the lines
 * that answer it (scripts/lib/archive-questions.ts says how words are counted), print the distribution overall and
 * per kind, and the share of questions with ≤ 2 shared words, which must stay ≥ 0.5 (issue 15). Fails (exit 1) on
 * any malformed record or a line range that is not in its file.
 *
 *   node --import tsx scripts/eval-overlap.ts [--verbose] [--json]
 */
import { KINDS, QUESTIONS_FILE, findDataRoot, loadQuestions, overlapOf } from './lib/archive-questions.js';

const MIN_LOW_SHARE = 0.5;
const argv = process.argv.slice(2);
const dataRoot = findDataRoot();
if (!dataRoot) {
  console.log('eval-overlap: the archive (../shared/data) is not here; nothing to check.');
  process.exit(0);
}
const { questions, problems } = loadQuestions(QUESTIONS_FILE, dataRoot);
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`eval-overlap: ${problems.length} bad record(s) in ${QUESTIONS_FILE}`);
  process.exit(1);
}

const rows = questions.map((q) => ({ id: q.id, kind: q.kind, half: q.half, ...overlapOf(q, dataRoot) }));
const low = rows.filter((r) => r.count <= 2).length;
const share = low / rows.length;

if (argv.includes('--json')) {
  console.log(JSON.stringify({ questions: rows.length, lowOverlap: low, share, perQuestion: rows }, null, 2));
} else {
  const hist = new Map<string, number>();
  for (const r of rows) {
    const b = r.count >= 6 ? '6+' : String(r.count);
    hist.set(b, (hist.get(b) ?? 0) + 1);
  }
  console.log(`${rows.length} questions in ${QUESTIONS_FILE}`);
  console.log('shared content words → questions');
  for (const b of ['0', '1', '2', '3', '4', '5', '6+'])
    console.log(`  ${b.padStart(2)}  ${String(hist.get(b) ?? 0).padStart(3)}  ${'#'.repeat(hist.get(b) ?? 0)}`);
  console.log('per kind: questions, ≤2 shared, mean shared (tune/test)');
  for (const k of KINDS) {
    const ks = rows.filter((r) => r.kind === k);
    if (!ks.length) continue;
    const mean = ks.reduce((s, r) => s + r.count, 0) / ks.length;
    const halves = `${ks.filter((r) => r.half === 'tune').length}/${ks.filter((r) => r.half === 'test').length}`;
    console.log(
      `  ${k.padEnd(11)} ${String(ks.length).padStart(3)}  ${String(ks.filter((r) => r.count <= 2).length).padStart(3)}  ${mean.toFixed(1).padStart(4)}  (${halves})`,
    );
  }
  if (argv.includes('--verbose')) for (const r of rows) console.log(`  ${r.id} ${r.kind.padEnd(10)} ${r.count}  ${r.shared.join(' ')}`);
  console.log(`share with ≤ 2 shared content words: ${low}/${rows.length} = ${share.toFixed(2)} (must be ≥ ${MIN_LOW_SHARE})`);
}
if (share < MIN_LOW_SHARE) {
  console.error(`eval-overlap: only ${share.toFixed(2)} of questions share ≤ 2 content words with their answer (need ≥ ${MIN_LOW_SHARE})`);
  process.exit(1);
}
