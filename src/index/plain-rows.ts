import type { Data, Table } from 'apache-arrow';
import { isAscii } from 'node:buffer';

/**
 * LanceDB's `toArray()` hands back Arrow row proxies that decode a value again on every read of a field (a
 * string is UTF-8-decoded each time), and a search reads the candidates' fields many times. Rows are instead
 * built here as plain objects, each column decoded once.
 */

/** Arrow's own decoder, so strings come out as its rows gave them (a leading byte-order mark dropped). */
const utf8 = new TextDecoder();

/**
 * Arrow's module, evaluated on its first use in a process (scripts/build.mjs keeps LanceDB from evaluating it at
 * load), which is a process's first read: one event-loop turn after that read sent its query, so that LanceDB is
 * running the query on its own threads while this one evaluates Arrow (~2.5 ms of a cold search's critical path).
 */
let arrowModule: Promise<typeof import('apache-arrow')> | undefined;
function loadArrow(): Promise<typeof import('apache-arrow')> {
  arrowModule ??= new Promise((resolve) => setImmediate(resolve)).then(() => import('apache-arrow'));
  return arrowModule;
}

/** A query whose result comes as an Arrow table: every LanceDB query builder. */
export interface ArrowQuery {
  toArrow(): Promise<Table>;
}

type Row = Record<string, unknown>;

/** The rows of a LanceDB query as plain objects (fields in the result's column order; nulls as `null`). */
export async function plainRows<T>(query: ArrowQuery): Promise<T[]> {
  const [arrow, table] = await Promise.all([loadArrow(), query.toArrow()]);
  const rows: Row[] = Array.from({ length: table.numRows }, () => ({}));
  for (const field of table.schema.fields) {
    let at = 0;
    for (const data of table.getChild(field.name)?.data ?? []) {
      fill(arrow, rows, at, field.name, data);
      at += data.length;
    }
  }
  return rows as T[];
}

/** Set field `name` of `rows[at…]` from one chunk of its column, the way Arrow's rows read it. */
function fill(arrow: typeof import('apache-arrow'), rows: Row[], at: number, name: string, data: Data): void {
  const { DataType, Precision, makeVector } = arrow;
  const { type, length } = data;
  const nulls = data.nullCount > 0;
  if (DataType.isUtf8(type)) {
    const { values, valueOffsets } = data as Data<typeof type>;
    // An ASCII column (ids, paths, dates, types) is decoded in one call and cut at its byte offsets, which are then
    // its character offsets: about half the time of decoding each value. Other columns are decoded value by value.
    const whole = isAscii(values) ? utf8.decode(values) : null;
    for (let i = 0; i < length; i++) {
      const start = valueOffsets[i] as number;
      const end = valueOffsets[i + 1] as number;
      (rows[at + i] as Row)[name] =
        nulls && !data.getValid(i) ? null : whole !== null ? whole.slice(start, end) : utf8.decode(values.subarray(start, end));
    }
  } else if (DataType.isInt(type) || (DataType.isFloat(type) && type.precision !== Precision.HALF)) {
    // 64-bit integers (row ids) come out as bigint, as Arrow reads them.
    const { values } = data;
    for (let i = 0; i < length; i++) (rows[at + i] as Row)[name] = nulls && !data.getValid(i) ? null : values[i];
  } else {
    const vector = makeVector(data);
    for (let i = 0; i < length; i++) (rows[at + i] as Row)[name] = vector.get(i);
  }
}
