import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/db.js';
import { claimKey, completeKey, getKey, releaseKey, takeOverStaleKey } from '../store/idempotency.repository.js';

/** A request that died while running frees its key after this long. */
const STALE_AFTER_MS = 5 * 60 * 1000;

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Stores a write's response inside the write's own transaction, so it commits with the change. */
export type RecordResponse = (tx: Kysely<Database>, body: unknown) => Promise<void>;

/** Called inside the business transaction, so the stored response commits with the change. */
export type CompleteInTx = (tx: Kysely<Database>, status: number, body: unknown) => Promise<void>;

/**
 * R2 `Idempotency-Key`: the first request runs; a repeat with the same body gets the stored
 * response; a different body gets 422; a repeat while the first still runs gets 409.
 */
export async function withIdempotencyKey(
  store: Store,
  orgId: string,
  key: string,
  hash: string,
  now: () => Date,
  run: (complete: CompleteInTx) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const at = now().toISOString();
  if (!(await store.transact((tx) => claimKey(tx, orgId, key, hash, at)))) {
    const row = await getKey(store.db, orgId, key);
    if (!row) return withIdempotencyKey(store, orgId, key, hash, now, run);
    if (row.request_hash !== hash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body.');
    }
    if (row.status === 'done') return { status: row.response_status!, body: JSON.parse(row.response_body!) };
    const stale = now().getTime() - Date.parse(row.created_at) > STALE_AFTER_MS;
    if (!stale || !(await store.transact((tx) => takeOverStaleKey(tx, orgId, key, row.created_at, at)))) {
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed.');
    }
  }
  try {
    return await run((tx, status, body) => completeKey(tx, orgId, key, status, body));
  } catch (err) {
    await store.transact((tx) => releaseKey(tx, orgId, key));
    throw err;
  }
}
