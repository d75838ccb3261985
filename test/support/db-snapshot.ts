import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Harness } from './harness.js';

/** A digest of every table (row count + content hash), so "nothing changed anywhere" is one comparison. */
export async function snapshot(h: Harness): Promise<Record<string, string>> {
  const db = h.services.store.db;
  const names =
    h.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows
      : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db)).rows;
  const out: Record<string, string> = {};
  for (const { name } of names) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    out[name] = `${rows.length}:${createHash('sha256').update(rows.map((r) => JSON.stringify(r)).sort().join('\n')).digest('hex')}`;
  }
  return out;
}
