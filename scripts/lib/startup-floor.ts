/**
 * The floor under every cold search (bench-startup.ts): LanceDB alone, with nothing of priors — connect, open the
 * chunk table, one full-text query, print the hits. Bundled and loaded through the same code cache as the bin
 * (startup-floor-run.ts), so the difference between this row and a search row is what priors adds.
 */
import { connect, MatchQuery } from '@lancedb/lancedb';

export async function run(index: string, table: string, query: string): Promise<void> {
  const db = await connect(index);
  const chunks = await db.openTable(table);
  const rows = (await chunks.search(new MatchQuery(query, 'fts_text'), 'fts').select(['doc_id', 'text']).limit(10).toArray()) as {
    doc_id: string;
    text: string;
  }[];
  process.stdout.write(`${rows.map((r) => `${r.doc_id}\n${r.text}`).join('\n\n')}\n`);
}
