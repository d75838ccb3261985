import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import { run } from './precompiled.js';
import type { Database } from './schema.js';

/**
 * The lease of a scheduled check: one row per check. A process runs a check only if it moved
 * the row's start from a time at least an interval ago to now, in one conditional upsert. On
 * PostgreSQL the row lock makes concurrent claims wait and re-check the condition, so exactly
 * one wins; on SQLite the write lock does the same. A process that dies mid-run leaves the row,
 * and the check runs again an interval later.
 */
const CLAIM = `insert into scheduler_runs (name, started_at, finished_at, worker) values (?, ?, null, ?)
 on conflict (name) do update set started_at = excluded.started_at, finished_at = null, worker = excluded.worker
 where scheduler_runs.started_at <= ? returning name`;

export async function claimCheck(db: Kysely<Database>, dialect: Dialect, name: string, at: string, notSince: string, worker: string): Promise<boolean> {
  return (await run<{ name: string }>(db, dialect, CLAIM, [name, at, worker, notSince])).rows.length === 1;
}

export async function finishCheck(db: Kysely<Database>, name: string, worker: string, at: string): Promise<void> {
  await db.updateTable('scheduler_runs').set({ finished_at: at }).where('name', '=', name).where('worker', '=', worker).execute();
}
