/**
 * The offered-stock workload (R7): one organisation set up through the services — backorders on,
 * two distribution centres, four channels with different windows (10 days, 30 days, until the
 * next Tuesday shipment, none) and one explicit share — and a catalogue whose bulk rows
 * (offered-stock-seed.ts) are inserted set-based. The orders of the incremental measurement are
 * placed through placeOrder itself.
 */
import type { ChannelInput } from '../src/services/channels.service.js';
import { createChannel } from '../src/services/channels.service.js';
import type { Caller, Services } from '../src/services/context.js';
import { createLocation } from '../src/services/locations.service.js';
import { runDueRecomputes } from '../src/services/offer-recompute.service.js';
import type { OrderInput } from '../src/services/order-intake.service.js';
import { createOrganisation, updateSettings } from '../src/services/organisations.service.js';
import { sql } from 'kysely';
import { rng } from './intake-workload.js';

export interface OfferWorkload {
  /** Products in the catalogue. */
  readonly products: number;
  /** Open purchase-order lines, spread over the catalogue. */
  readonly openLines: number;
  /** Lines per open purchase order. */
  readonly linesPerPo: number;
  readonly suppliers: number;
  /** Suppliers with a delivery history (the rest are `new`, R8). */
  readonly suppliersWithHistory: number;
  /** Every n-th product has sold in each of the last 28 days (most days). */
  readonly salesEvery: number;
  readonly seed: number;
}

export const LOCATIONS = [
  { code: 'dc-ams', name: 'DC Amsterdam', kind: 'warehouse', country: 'NL', latitude: 52.3676, longitude: 4.9041 },
  { code: 'dc-rtm', name: 'DC Rotterdam', kind: 'warehouse', country: 'NL', latitude: 51.9244, longitude: 4.4777 },
] as const;

/** Four channels, one per kind of window; bol has an explicit share of every line, the others split the rest. */
export const CHANNELS: readonly ChannelInput[] = [
  { code: 'webshop', name: 'Web shop', kind: 'webshop', priority: 0, acceptsBackorders: true, locations: ['dc-ams', 'dc-rtm'], window: { kind: 'days', days: 10 } },
  { code: 'bol', name: 'bol.com', kind: 'bol', priority: 10, acceptsBackorders: true, locations: ['dc-ams'], window: { kind: 'days', days: 30 }, share: 0.3 },
  {
    code: 'amazon',
    name: 'Amazon FBA',
    kind: 'amazon',
    priority: 5,
    acceptsBackorders: true,
    locations: ['dc-rtm'],
    window: { kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 },
  },
  { code: 'b2b', name: 'Wholesale', kind: 'b2b', priority: 0, acceptsBackorders: true, locations: ['dc-ams', 'dc-rtm'], window: { kind: 'none' } },
];

export interface OfferOrg {
  readonly orgId: string;
  readonly caller: Caller;
  readonly locationIds: Readonly<Record<string, string>>;
}

/** The organisation, its settings, locations and channels, through the services; the recomputes they queue run (on an empty catalogue). */
export async function seedOfferOrg(services: Services): Promise<OfferOrg> {
  const org = await createOrganisation(services.store, 'bench-offers');
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  await updateSettings(services, caller, { backordersEnabled: true });
  for (const l of LOCATIONS) await createLocation(services, caller, { ...l });
  for (const c of CHANNELS) await createChannel(services, caller, c);
  await runDueRecomputes(services);
  const rows = await sql<{ id: string; code: string }>`select id, code from locations where org_id = ${org.orgId}`.execute(services.store.db);
  return { orgId: org.orgId, caller, locationIds: Object.fromEntries(rows.rows.map((r) => [r.code, r.id])) };
}

/** Channels that sell from a location, in CHANNELS order. */
export function channelsAt(location: string): string[] {
  return CHANNELS.filter((c) => c.locations.includes(location)).map((c) => c.code);
}

export interface OrderTarget {
  readonly sku: string;
  readonly productId: string;
  /** A location an open line of the SKU arrives at. */
  readonly location: string;
  readonly price: number;
}

/** One unit of the SKU, on a channel that sells from where its incoming arrives; customers from a pool of 500. */
export function orderFor(t: OrderTarget, i: number, seed: number): OrderInput {
  const r = rng(seed * 31_337 + i);
  const channels = channelsAt(t.location);
  const customer = Math.floor(r() * 500);
  return {
    channel: channels[i % channels.length]!,
    externalId: `ofr-${i + 1}`,
    shippingPreference: 'partial',
    customer: { id: `ofr-cust-${customer}`, email: `c${customer}@example.nl`, locale: 'nl', country: 'NL', tier: 'standard' },
    lines: [{ sku: t.sku, qty: 1, unitPrice: t.price }],
  };
}
