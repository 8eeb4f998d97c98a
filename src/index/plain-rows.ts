import type { Query, TakeQuery, VectorQuery } from '@lancedb/lancedb';
import { tableFromIPC } from '@uwdata/flechette';

/**
 * The rows of LanceDB queries as plain objects, each value decoded once (a search reads its candidates' fields many
 * times), decoded from the Arrow IPC batches LanceDB's native code returns by flechette rather than apache-arrow.
 *
 * Why: LanceDB's public way to results, `toArrow()`, decodes each batch with apache-arrow, and evaluating Arrow's
 * modules (a quarter of the search program's compiled code) cost every command that reads an index, ~3 ms of a cold
 * search in paired runs, although it ran while LanceDB ran the query. flechette decodes the same
 * IPC batches, which come from the query's `nativeExecute()`, as LanceDB's own `execute()` reads them (public at run
 * time, marked hidden and protected in LanceDB's types: tests/index/plain-rows.test.ts fails if an upgrade takes it
 * away). Arrow is still bundled, for LanceDB's writes (ingest) and schemas.
 */

/** LanceDB's query builders (a scan, a vector or full-text search, a take by row id): `nativeExecute` is on their base. */
export type LanceQuery = Query | VectorQuery | TakeQuery;

/** LanceDB's native result stream: one Arrow IPC stream (a schema and one record batch) per call, null at the end. */
interface NativeBatches {
  next(): Promise<Uint8Array | null | undefined>;
}

type Row = Record<string, unknown>;

/**
 * The rows of a LanceDB query, fields in the result's column order: strings as JavaScript strings (a leading byte-order
 * mark dropped, as Arrow's decoder drops it), 32-bit integers and floats as numbers, 64-bit integers (row ids) as
 * bigint, nulls as `null`.
 */
export async function plainRows<T>(query: LanceQuery): Promise<T[]> {
  const { nativeExecute } = query as unknown as { nativeExecute?: () => Promise<NativeBatches> };
  if (typeof nativeExecute !== 'function') throw new Error('this LanceDB has no nativeExecute on its queries (src/index/plain-rows.ts)');
  const batches = await nativeExecute.call(query);
  const rows: Row[] = [];
  for (let ipc = await batches.next(); ipc; ipc = await batches.next()) {
    for (const row of tableFromIPC(ipc, { useBigInt: true }).toArray()) rows.push(row);
  }
  return rows as T[];
}
