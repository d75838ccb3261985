/** Fresh, throw-away databases for one measurement each: a SQLite file in a temp dir, or `sb_bench_<random>` on PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Services } from '../src/services/context.js';
import { openStore, sqlitePath, type Dialect } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrator.js';

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly dialect: Dialect;
  readonly url: string;
  drop(): Promise<void>;
}

const dropped: (() => Promise<void>)[] = [];

/** Drops every database still alive (called on exit paths). */
export async function dropAll(): Promise<void> {
  while (dropped.length) await dropped.pop()!().catch(() => {});
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The server's version, or null when it cannot be reached. */
export async function postgresVersion(): Promise<string | null> {
  try {
    return await admin(async (c) => (await c.query<{ v: string }>('select version() as v')).rows[0]!.v);
  } catch {
    return null;
  }
}

export async function createDatabase(dialect: Dialect): Promise<BenchDatabase> {
  let db: BenchDatabase;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
    db = { dialect, url: `sqlite:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  } else {
    const name = `sb_bench_${randomBytes(6).toString('hex')}`;
    await admin((c) => c.query(`create database ${name}`));
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    db = { dialect, url: url.toString(), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}) };
  }
  const drop = db.drop;
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    await drop();
  };
  dropped.push(once);
  return { ...db, drop: once };
}

/** Migrated store + services on `url`. */
export async function openBenchServices(url: string, opts: { sqliteSynchronous?: 'NORMAL' | 'FULL'; pgPoolSize?: number } = {}): Promise<Services> {
  const store = openStore({ url, ...opts });
  await migrateToLatest(store.db);
  return { store, now: () => new Date() };
}

export function sqliteFile(url: string): string {
  return sqlitePath(url);
}
