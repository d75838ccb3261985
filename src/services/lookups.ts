import type { Kysely } from 'kysely';
import { AppError, type ErrorCode } from '../domain/app-error.js';
import type { Database } from '../store/schema.js';

/**
 * Resolve a caller's identifier inside their organisation. A reference inside a request body
 * that names nothing is the caller's input error (422 UNKNOWN_*); an identifier in the path that
 * names nothing (or another organisation's object) is a 404.
 */
export type Named = 'reference' | 'path';
export async function requireProduct(db: Kysely<Database>, orgId: string, sku: string, named: Named = 'reference') {
  const row = await db.selectFrom('products').selectAll().where('org_id', '=', orgId).where('sku', '=', sku).executeTakeFirst();
  if (!row) throw notFound(named, 'UNKNOWN_SKU', `Unknown SKU: ${sku}.`, { skus: [sku] });
  return row;
}

export async function requireLocation(db: Kysely<Database>, orgId: string, code: string, named: Named = 'reference') {
  const row = await db.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound(named, 'UNKNOWN_LOCATION', `Unknown location: ${code}.`, { location: code });
  return row;
}

export async function requireChannel(db: Kysely<Database>, orgId: string, code: string, named: Named = 'reference') {
  const row = await db.selectFrom('channels').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound(named, 'UNKNOWN_CHANNEL', `Unknown channel: ${code}.`, { channel: code });
  return row;
}

function notFound(named: Named, code: ErrorCode, message: string, details: Record<string, unknown>) {
  return named === 'path' ? new AppError('NOT_FOUND', message, details) : new AppError(code, message, details);
}
