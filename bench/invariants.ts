/**
 * The no-oversell check after a run, straight from the tables:
 *  - every level: 0 ≤ reserved ≤ on hand;
 *  - every level: the ledger sums to it (Σ on_hand_delta = on hand, Σ reserved_delta = reserved);
 *  - every level: reserved = units of live part lines placed there;
 *  - every product: Σ part-line units = Σ ordered units (nothing lost or invented);
 *  - every product: total reserved = min(demand, stock) (no unit left idle while orders wait);
 *  - orders stored ≥ successful responses (no acknowledged order lost).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/store/schema.js';

export interface InvariantReport {
  readonly ok: boolean;
  readonly orders: number;
  readonly demand: number;
  readonly stock: number;
  readonly reserved: number;
  readonly violations: string[];
}

const n = (v: unknown) => Number(v ?? 0);

export async function checkNoOversell(db: Kysely<Database>, orgId: string, acknowledged?: number): Promise<InvariantReport> {
  const levels = (
    await sql<{ product_id: string; location_id: string; on_hand: number; reserved: number }>`
      select product_id, location_id, on_hand, reserved from stock_levels where org_id = ${orgId}`.execute(db)
  ).rows;
  const ledger = (
    await sql<{ product_id: string; location_id: string; on_hand: number; reserved: number }>`
      select product_id, location_id, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
      from stock_movements where org_id = ${orgId} group by product_id, location_id`.execute(db)
  ).rows;
  const placed = (
    await sql<{ product_id: string; location_id: string; qty: number }>`
      select pl.product_id, pl.location_id, sum(pl.qty) as qty from part_lines pl join order_parts p on p.id = pl.part_id
      where pl.org_id = ${orgId} and pl.location_id is not null and p.status not in ('shipped', 'cancelled')
      group by pl.product_id, pl.location_id`.execute(db)
  ).rows;
  const ordered = (
    await sql<{ product_id: string; qty: number }>`
      select product_id, sum(qty) as qty from order_lines where org_id = ${orgId} group by product_id`.execute(db)
  ).rows;
  const split = (
    await sql<{ product_id: string; qty: number }>`
      select product_id, sum(qty) as qty from part_lines where org_id = ${orgId} group by product_id`.execute(db)
  ).rows;
  const orders = n((await sql<{ c: number }>`select count(*) as c from orders where org_id = ${orgId}`.execute(db)).rows[0]?.c);

  const violations: string[] = [];
  const key = (p: string, l: string) => `${p}|${l}`;
  const ledgerOf = new Map(ledger.map((r) => [key(r.product_id, r.location_id), r]));
  const placedOf = new Map(placed.map((r) => [key(r.product_id, r.location_id), n(r.qty)]));
  const perProduct = new Map<string, { stock: number; reserved: number }>();
  for (const l of levels) {
    const k = key(l.product_id, l.location_id);
    const onHand = n(l.on_hand);
    const reserved = n(l.reserved);
    if (reserved < 0 || reserved > onHand) violations.push(`level ${k}: reserved ${reserved} outside 0..${onHand}`);
    const led = ledgerOf.get(k);
    if (!led || n(led.on_hand) !== onHand || n(led.reserved) !== reserved) {
      violations.push(`level ${k}: ledger ${n(led?.on_hand)}/${n(led?.reserved)} ≠ on hand/reserved ${onHand}/${reserved}`);
    }
    if ((placedOf.get(k) ?? 0) !== reserved) violations.push(`level ${k}: part lines hold ${placedOf.get(k) ?? 0}, reserved is ${reserved}`);
    const p = perProduct.get(l.product_id) ?? { stock: 0, reserved: 0 };
    p.stock += onHand;
    p.reserved += reserved;
    perProduct.set(l.product_id, p);
  }
  const splitOf = new Map(split.map((r) => [r.product_id, n(r.qty)]));
  let demand = 0;
  for (const o of ordered) {
    const want = n(o.qty);
    demand += want;
    if (splitOf.get(o.product_id) !== want) violations.push(`product ${o.product_id}: ordered ${want}, split into ${splitOf.get(o.product_id) ?? 0}`);
    const p = perProduct.get(o.product_id) ?? { stock: 0, reserved: 0 };
    if (p.reserved !== Math.min(want, p.stock)) {
      violations.push(`product ${o.product_id}: reserved ${p.reserved} ≠ min(demand ${want}, stock ${p.stock})`);
    }
  }
  if (acknowledged !== undefined && orders < acknowledged) violations.push(`${acknowledged} orders acknowledged, only ${orders} stored`);
  let stock = 0;
  let reserved = 0;
  for (const p of perProduct.values()) {
    stock += p.stock;
    reserved += p.reserved;
  }
  return { ok: violations.length === 0, orders, demand, stock, reserved, violations: violations.slice(0, 20) };
}
