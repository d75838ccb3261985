import { AppError } from '../domain/app-error.js';
import { newId } from '../ids.js';
import type { CustomersTable } from '../store/schema.js';
import type { Caller, Services } from './context.js';

export interface CustomerInput {
  id: string;
  email: string;
  locale: CustomersTable['locale'];
  tier?: string;
  country: string;
  postcode?: string;
  latitude?: number;
  longitude?: number;
}

export function toCustomerView(c: CustomersTable) {
  return {
    id: c.external_id,
    email: c.email,
    locale: c.locale,
    tier: c.tier,
    country: c.country,
    postcode: c.postcode,
    latitude: c.latitude,
    longitude: c.longitude,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

/** A customer as stored: defaults applied, country upper-case. Orders and PUT share it. */
export function customerFields(input: CustomerInput) {
  return {
    email: input.email,
    locale: input.locale,
    tier: input.tier ?? 'standard',
    country: input.country.toUpperCase(),
    postcode: input.postcode ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
  };
}

/** Creates or updates a customer by its external id (the id the merchant's systems use). */
export async function upsertCustomer(services: Services, caller: Caller, input: CustomerInput) {
  const at = services.now().toISOString();
  const fields = { ...customerFields(input), updated_at: at };
  const row = await services.store.transact((tx) =>
    tx
    .insertInto('customers')
    .values({ id: newId('cus'), org_id: caller.orgId, external_id: input.id, created_at: at, ...fields })
    .onConflict((oc) => oc.columns(['org_id', 'external_id']).doUpdateSet(fields))
    .returningAll()
    .executeTakeFirstOrThrow(),
  );
  return toCustomerView(row);
}

export async function getCustomer(services: Services, caller: Caller, externalId: string) {
  const row = await services.store.db
    .selectFrom('customers')
    .selectAll()
    .where('org_id', '=', caller.orgId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CUSTOMER', `Unknown customer: ${externalId}.`, { customer: externalId });
  return toCustomerView(row);
}

export async function listCustomers(services: Services, caller: Caller, after: string | null, limit: number) {
  let q = services.store.db.selectFrom('customers').selectAll().where('org_id', '=', caller.orgId);
  if (after) q = q.where('external_id', '>', after);
  const rows = await q.orderBy('external_id').limit(limit + 1).execute();
  return { items: rows.slice(0, limit).map(toCustomerView), next: rows.length > limit ? rows[limit - 1]!.external_id : null };
}
