import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Step<T> = (tx: Kysely<Database>) => Promise<T>;

interface Job {
  readonly step: Step<unknown>;
  attempts: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** Steps that arrive while a transaction is running share the next one, up to this many. */
const MAX_BATCH = 64;
const MAX_ATTEMPTS = 5;

/**
 * Group commit for SQLite. Each business step still runs alone in the sense that matters: its
 * writes commit together or not at all (a SAVEPOINT per step; a step that throws is rolled back
 * to its savepoint and only its caller sees the error), and no caller hears "done" before the
 * COMMIT that made its step durable. What steps share is the transaction: one BEGIN IMMEDIATE
 * and one COMMIT (the WAL write of every page touched) for all steps that queued up meanwhile,
 * which is what makes SQLite fast under many concurrent requests. A lone step runs in its own
 * transaction with no savepoint.
 */
export function groupCommit(
  db: Kysely<Database>,
  inTransaction: () => boolean,
  runWithRetry: <T>(run: () => Promise<T>) => Promise<T>,
  retryable: (err: unknown) => boolean,
) {
  const queue: Job[] = [];
  let draining = false;

  async function drain() {
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, MAX_BATCH));
    } finally {
      draining = false;
    }
  }

  async function runBatch(batch: Job[]) {
    const settled: (() => void)[] = [];
    try {
      await runWithRetry(() =>
        db.connection().execute(async (conn) => {
          settled.length = 0;
          await sql`begin immediate`.execute(conn);
          try {
            for (const job of batch) {
              if (batch.length === 1) {
                const value = await job.step(conn);
                settled.push(() => job.resolve(value));
                continue;
              }
              await sql`savepoint step`.execute(conn);
              try {
                const value = await job.step(conn);
                await sql`release step`.execute(conn);
                settled.push(() => job.resolve(value));
              } catch (err) {
                await sql`rollback to step`.execute(conn);
                await sql`release step`.execute(conn);
                // A step that met a conflict runs again in a later batch, like a lone step would.
                if (retryable(err) && job.attempts < MAX_ATTEMPTS) {
                  job.attempts += 1;
                  settled.push(() => enqueue(job));
                } else {
                  settled.push(() => job.reject(err));
                }
              }
            }
            await sql`commit`.execute(conn);
          } catch (err) {
            if (inTransaction()) await sql`rollback`.execute(conn);
            throw err;
          }
        }),
      );
    } catch (err) {
      for (const job of batch) job.reject(err);
      return;
    }
    for (const settle of settled) settle();
  }

  function enqueue(job: Job) {
    queue.push(job);
    if (!draining) {
      // Wait one turn of the event loop before the batch starts, so requests that arrived
      // together (already read from their sockets) join it instead of each paying a commit.
      draining = true;
      setImmediate(() => void drain());
    }
  }

  return function transact<T>(step: Step<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => enqueue({ step, attempts: 0, resolve: resolve as (v: unknown) => void, reject }));
  };
}
