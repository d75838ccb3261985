import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function claimKey(db: Kysely<Database>, orgId: string, key: string, hash: string, at: string) {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ org_id: orgId, key, request_hash: hash, status: 'running', response_status: null, response_body: null, created_at: at })
    .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function getKey(db: Kysely<Database>, orgId: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();
}

/** Takes over a key whose first request died while running; only one caller wins. */
export async function takeOverStaleKey(db: Kysely<Database>, orgId: string, key: string, seenAt: string, at: string) {
  const r = await db
    .updateTable('idempotency_keys')
    .set({ created_at: at })
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .where('status', '=', 'running')
    .where('created_at', '=', seenAt)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function completeKey(db: Kysely<Database>, orgId: string, key: string, status: number, body: unknown) {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', response_status: status, response_body: JSON.stringify(body) })
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .execute();
}

export async function releaseKey(db: Kysely<Database>, orgId: string, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .where('status', '=', 'running')
    .execute();
}
