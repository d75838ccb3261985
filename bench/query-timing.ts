/**
 * For the query benchmarks (bench/kpis.ts, bench/orders-tab.ts): timing a call over repeated
 * runs, and the raw driver behind their floors — the same statements through a better-sqlite3
 * prepared statement or a `pg` client, rows left unshaped.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../src/store/db.js';
import { statement } from '../src/store/precompiled.js';
import { sqliteFile } from './databases.js';
import { nowMs, percentile } from './stats.js';

export interface Timing {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** `warmup` untimed calls, then `reps` timed ones, one at a time. */
export async function timeIt(call: () => Promise<unknown>, reps: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = nowMs();
    await call();
    samples.push(nowMs() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}

export type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export async function rawDriver(dialect: Dialect, url: string): Promise<{ query: RawQuery; close(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = new BetterSqlite3(sqliteFile(url), { readonly: true });
    const cache = new Map<string, BetterSqlite3.Statement>();
    return {
      query: async (text, params) => {
        let st = cache.get(text);
        if (!st) cache.set(text, (st = db.prepare(text)));
        return st.all(...params) as Record<string, unknown>[];
      },
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { query: async (text, params) => (await client.query(statement('postgres', text), params)).rows, close: () => client.end() };
}
