import type { Kysely } from 'kysely';
import type { Database, OfferPausesTable } from './schema.js';

/** R9: SKUs whose incoming offer a demand spike paused (offered stock falls back to physical). */

export async function insertPause(tx: Kysely<Database>, pause: OfferPausesTable): Promise<void> {
  await tx.insertInto('offer_pauses').values(pause).onConflict((oc) => oc.column('product_id').doNothing()).execute();
}

/** Ends the pause an alert made; returns the products unpaused. */
export async function deletePausesOf(tx: Kysely<Database>, alertId: string): Promise<{ product_id: string; org_id: string }[]> {
  return tx.deleteFrom('offer_pauses').where('alert_id', '=', alertId).returning(['product_id', 'org_id']).execute();
}

/** The organisation's pauses whose time is up. */
export async function expiredPauses(tx: Kysely<Database>, orgId: string, at: string): Promise<OfferPausesTable[]> {
  return tx.selectFrom('offer_pauses').selectAll().where('org_id', '=', orgId).where('until', '<=', at).orderBy('product_id').execute();
}

/** The alerts that still pause an incoming offer. */
export async function pausingAlerts(tx: Kysely<Database>, orgId: string): Promise<Set<string>> {
  const rows = await tx.selectFrom('offer_pauses').select('alert_id').where('org_id', '=', orgId).execute();
  return new Set(rows.map((r) => r.alert_id));
}
