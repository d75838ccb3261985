import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import type { Database } from '../store/schema.js';

/** Resolve a caller's identifier inside their organisation, or fail with the specific code. */
export async function requireProduct(db: Kysely<Database>, orgId: string, sku: string) {
  const row = await db.selectFrom('products').selectAll().where('org_id', '=', orgId).where('sku', '=', sku).executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_SKU', `Unknown SKU: ${sku}.`, { skus: [sku] });
  return row;
}

export async function requireLocation(db: Kysely<Database>, orgId: string, code: string) {
  const row = await db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_LOCATION', `Unknown location: ${code}.`, { location: code });
  return row;
}

export async function requireChannel(db: Kysely<Database>, orgId: string, code: string) {
  const row = await db.selectFrom('channels').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CHANNEL', `Unknown channel: ${code}.`, { channel: code });
  return row;
}
