import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

/**
 * Statements on the order-intake hot path, written once as SQL text with `?` placeholders and
 * executed without building and compiling a query tree per call (which cost a quarter of the
 * time of an order). PostgreSQL gets `$n` placeholders; the text is converted once and kept.
 */
const pgText = new Map<string, string>();
/** PostgreSQL text → the name it is prepared under on each connection (parsed and planned once). */
const pgNames = new Map<string, string>();

export function statement(dialect: Dialect, text: string): string {
  if (dialect === 'sqlite') return text;
  let converted = pgText.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${++n}`);
    pgText.set(text, converted);
    pgNames.set(converted, `sb_${pgNames.size}`);
  }
  return converted;
}

/** The prepared-statement name of a precompiled PostgreSQL text; undefined for any other query. */
export function preparedName(text: string): string | undefined {
  return pgNames.get(text);
}

export function run<R>(tx: Kysely<Database>, dialect: Dialect, text: string, params: readonly unknown[]): Promise<QueryResult<R>> {
  return tx.executeQuery<R>(CompiledQuery.raw(statement(dialect, text), params as unknown[]));
}

const tuples = new Map<string, string>();

/** `(?,?,?),(?,?,?)` for a multi-row insert of `rows` rows of `columns` values. */
export function valueTuples(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let text = tuples.get(key);
  if (text === undefined) {
    const one = `(${Array(columns).fill('?').join(',')})`;
    text = Array(rows).fill(one).join(',');
    tuples.set(key, text);
  }
  return text;
}

/** `?,?,?` for an IN list. */
export function placeholders(count: number): string {
  return valueTuples(1, count).slice(1, -1);
}
