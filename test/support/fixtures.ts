import { expect } from 'vitest';
import type { Harness } from './harness.js';

let counter = 0;
/** A unique suffix so fixtures in one shared database never collide. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function ok<T = any>(p: Promise<{ status: number; body: T }>, status?: number): Promise<T> {
  const res = await p;
  if (status !== undefined) expect(res.status, JSON.stringify(res.body)).toBe(status);
  else expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

/** What seeding needs of a harness: its API calls and key (the e2e server offers the same). */
export type ApiCaller = Pick<Harness, 'api' | 'key'>;

export interface World {
  skus: string[];
  locations: string[];
  channel: string;
}

/**
 * A small catalogue: locations (in channel order), one channel selling from them, products
 * with on-hand stock per location. Returns the generated codes.
 */
export async function seedWorld(
  h: ApiCaller,
  opts: {
    stock: number[][]; // stock[productIndex][locationIndex]
    acceptsBackorders?: boolean;
    channelKind?: string;
    key?: string;
    policy?: string;
  },
): Promise<World> {
  const key = opts.key ?? h.key;
  const locationCount = opts.stock[0]?.length ?? 1;
  const locations: string[] = [];
  for (let i = 0; i < locationCount; i++) {
    const code = unique('loc').toLowerCase();
    await ok(h.api('POST', '/v1/locations', { code, name: `Location ${code}`, kind: 'warehouse', country: 'NL' }, { key }), 201);
    locations.push(code);
  }
  const channel = unique('ch').toLowerCase();
  await ok(
    h.api(
      'POST',
      '/v1/channels',
      { code: channel, name: channel, kind: opts.channelKind ?? 'bol', acceptsBackorders: opts.acceptsBackorders ?? true, locations },
      { key },
    ),
    201,
  );
  const skus: string[] = [];
  for (const perLocation of opts.stock) {
    const sku = unique('SKU').toUpperCase();
    await ok(h.api('POST', '/v1/products', { sku, name: `Product ${sku}`, price: 10, cost: 4, ...(opts.policy ? { backorderPolicy: opts.policy } : {}) }, { key }), 201);
    for (const [i, qty] of perLocation.entries()) {
      if (qty > 0) await ok(h.api('POST', '/v1/stock/adjustments', { sku, location: locations[i], delta: qty, kind: 'receipt' }, { key }), 201);
    }
    skus.push(sku);
  }
  return { skus, locations, channel };
}

export function orderBody(channel: string, lines: { sku: string; qty: number }[], extra: Record<string, unknown> = {}) {
  return {
    channel,
    externalId: unique('EXT'),
    customer: { id: unique('cust'), email: 'buyer@example.nl', locale: 'nl', country: 'NL' },
    lines: lines.map((l) => ({ ...l, unitPrice: 12.5 })),
    ...extra,
  };
}

export async function setBackorders(h: ApiCaller, enabled: boolean, key = h.key) {
  await ok(h.api('PATCH', '/v1/settings', { backordersEnabled: enabled }, { key }), 200);
}
