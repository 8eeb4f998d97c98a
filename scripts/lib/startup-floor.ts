/**
 * The floor under every cold search (bench-startup.ts): LanceDB alone, with nothing of priors — connect, open the
 * chunk table, one full-text query, print the hits. Bundled and loaded through the same code cache as the bin
 * (startup-floor-run.ts), with LanceDB loaded and its results read as priors loads and reads them (one lazily
 * required Arrow, scripts/lib/arrow-view.mjs; LanceDB's result batches decoded by flechette, src/index/plain-rows.ts),
 * so the difference between this row and a search row is what priors adds.
 */
import { connect, MatchQuery } from '@lancedb/lancedb';
import { tableFromIPC } from '@uwdata/flechette';

interface NativeBatches {
  next(): Promise<Uint8Array | null | undefined>;
}

export async function run(index: string, table: string, query: string): Promise<void> {
  const db = await connect(index);
  const chunks = await db.openTable(table);
  const search = chunks.search(new MatchQuery(query, 'fts_text'), 'fts').select(['doc_id', 'text']).limit(10);
  const batches = await (search as unknown as { nativeExecute(): Promise<NativeBatches> }).nativeExecute();
  const rows: { doc_id: string; text: string }[] = [];
  for (let ipc = await batches.next(); ipc; ipc = await batches.next())
    rows.push(...(tableFromIPC(ipc).toArray() as { doc_id: string; text: string }[]));
  process.stdout.write(`${rows.map((r) => `${r.doc_id}\n${r.text}`).join('\n\n')}\n`);
}
