import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { AppError } from '../domain/app-error.js';
import type { Database } from './schema.js';
import { preparedName } from './precompiled.js';
import { groupCommit } from './sqlite-group-commit.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Kysely<Database> | Transaction<Database>;

export interface Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  /** One business step: one transaction, retried on lock contention, never half-written. */
  transact<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly url: string;
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL';
  readonly pgPoolSize?: number;
}

// count(*) and sums come back as int8; our numbers are far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export function openStore(options: OpenOptions): Store {
  if (options.url.startsWith('postgres://') || options.url.startsWith('postgresql://')) {
    return openPostgres(options.url, options.pgPoolSize ?? 10);
  }
  return openSqlite(sqlitePath(options.url), options.sqliteSynchronous ?? 'NORMAL');
}

export function sqlitePath(url: string): string {
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return path === ':memory:' ? path : resolve(path);
}

function openSqlite(path: string, synchronous: 'NORMAL' | 'FULL'): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous}`);
  raw.pragma('busy_timeout = 10000');
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return {
    dialect: 'sqlite',
    db,
    // BEGIN IMMEDIATE takes the write lock up front, so two processes never both read stock and
    // then race to write it; the busy timeout makes the second wait its turn. Steps arriving
    // together in one process share a transaction (group commit, see sqlite-group-commit.ts).
    transact: groupCommit(db, () => raw.inTransaction, (run) => withRetry(isSqliteBusy, run), isSqliteBusy),
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection dropped by the server (restart, admin command) must not crash the
  // process; the pool replaces it on the next checkout.
  pool.on('error', () => {});
  // Precompiled statements (the hot path) run as named prepared statements: PostgreSQL parses
  // and plans each once per connection. The set of names is small and fixed by the code.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' && Array.isArray(values) ? preparedName(text) : undefined;
      return name === undefined ? query(text, values, ...rest) : query({ name, text, values }, ...rest);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    transact: (fn) => withRetry(isPgRetryable, () => db.transaction().execute(fn)),
    close: () => db.destroy(),
  };
}

/**
 * A step that lost a race (serialization failure, deadlock, a conditional update that found the
 * row changed) runs again from the start, after a growing pause with jitter: 10, 20, 40, 80, 160,
 * 200, 200 ms (+ up to 20). About 0.7 s in all before the caller is told SERVICE_BUSY (503 with
 * Retry-After), so a burst on one hot SKU beside a busy worker is absorbed, not refused.
 */
const MAX_ATTEMPTS = 8;

async function withRetry<T>(retryable: (err: unknown) => boolean, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!retryable(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError('SERVICE_BUSY', 'The database is busy; retry the request shortly.');
      }
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) + Math.random() * 20));
    }
  }
}

function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED' || code === 'RETRYABLE_CONFLICT';
}

/** Serialization failure and deadlock: the transaction did nothing and can run again. */
function isPgRetryable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '40001' || code === '40P01' || code === 'RETRYABLE_CONFLICT';
}

/** Unique-key violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
