/** Fresh, throw-away databases for one measurement each: a SQLite file in a temp dir, or `sb_bench_<random>` on PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
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

/** Runs one statement on the admin connection (e.g. `checkpoint`). */
export async function adminQuery(text: string): Promise<void> {
  await admin((c) => c.query(text));
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
  return newDatabase(dialect, null);
}

/**
 * A new database holding what `source` holds: a copy of the SQLite file, or on PostgreSQL
 * `create database … template source`. Nothing may be connected to `source` meanwhile (close
 * its store first; a SQLite store checkpoints its WAL into the file on close).
 */
export async function copyDatabase(source: BenchDatabase): Promise<BenchDatabase> {
  return newDatabase(source.dialect, source);
}

async function newDatabase(dialect: Dialect, source: BenchDatabase | null): Promise<BenchDatabase> {
  let db: BenchDatabase;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
    const file = join(dir, 'bench.db');
    if (source) copyFileSync(sqlitePath(source.url), file);
    db = { dialect, url: `sqlite:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  } else {
    const name = `sb_bench_${randomBytes(6).toString('hex')}`;
    const template = source ? ` template ${new URL(source.url).pathname.slice(1)}` : '';
    await admin((c) => c.query(`create database ${name}${template}`));
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
