import type { Kysely } from 'kysely';
import { activeSeason } from '../domain/channel-window.js';
import { lineCapacities, type LineCapacity } from '../domain/offer-capacity.js';
import type { OfferChannel, OfferOrganisation, OfferProduct } from '../domain/offered-stock.js';
import { effectiveArrival } from '../domain/promise-plan.js';
import { outstanding } from '../domain/purchase-order-lifecycle.js';
import type { SupplierGrade } from '../domain/supplier-reliability.js';
import { readDailySales, readOfferChannels, readOfferOrganisation, readOfferProducts, readSupplierGrades } from '../store/offer-inputs.repository.js';
import type { IncomingRow } from '../store/promises.repository.js';
import type { Database } from '../store/schema.js';
import { groupBy } from '../collections.js';

/**
 * Everything the capacity of incoming lines depends on (R7, R8, R15), read once per step: the
 * promise planner and the offered stock compute capacities from the same rows, so a channel is
 * offered exactly what its orders can be promised.
 */
export interface CapacityContext {
  readonly today: string;
  readonly organisation: OfferOrganisation;
  readonly channels: readonly (OfferChannel & { priority: number })[];
  readonly products: ReadonlyMap<string, OfferProduct>;
  readonly dailySales: ReadonlyMap<string, number>;
  readonly grades: ReadonlyMap<string, SupplierGrade>;
}

export async function readCapacityContext(
  tx: Kysely<Database>,
  orgId: string,
  productIds: readonly string[],
  supplierIds: readonly string[],
  today: string,
): Promise<CapacityContext> {
  const ids = [...new Set(productIds)];
  // Sales and grades only matter for incoming lines (R8's cap and ratio); most steps have none.
  const lines = supplierIds.length > 0;
  return {
    today,
    organisation: await readOfferOrganisation(tx, orgId),
    channels: await readOfferChannels(tx, orgId),
    products: await readOfferProducts(tx, orgId, ids),
    dailySales: lines ? await readDailySales(tx, ids, today) : new Map(),
    grades: lines ? await readSupplierGrades(tx, orgId, supplierIds) : new Map(),
  };
}

export const lineKey = (poId: string, lineNo: number) => `${poId}|${lineNo}`;

/** Capacity of each incoming row (`po|line`), per product as R8's grade cap is per SKU. */
export function incomingCapacities(ctx: CapacityContext, rows: readonly IncomingRow[]): Map<string, LineCapacity> {
  const season = activeSeason(ctx.organisation.seasons, ctx.today);
  const out = new Map<string, LineCapacity>();
  for (const [productId, lines] of groupBy(rows, (r) => r.product_id)) {
    const settings = {
      organisationRatio: ctx.organisation.acceptanceRatio,
      seasonRatio: season?.acceptanceRatio ?? null,
      productRatio: ctx.products.get(productId)?.acceptanceRatio ?? null,
      erraticFactor: ctx.organisation.erraticRatioFactor,
      cappedSalesDays: ctx.organisation.cappedSalesDays,
      dailySales: ctx.dailySales.get(productId) ?? 0,
    };
    const capacities = lineCapacities(
      lines.map((r) => ({
        key: lineKey(r.po_id, r.line_no),
        locationId: r.location_id,
        grade: ctx.grades.get(r.supplier_id) ?? 'new',
        incoming: outstanding(r),
        arrivalDate: effectiveArrivalOf(r, ctx.today),
      })),
      settings,
      ctx.channels,
    );
    for (const c of capacities) out.set(c.key, c);
  }
  return out;
}

/** R8: a line's arrival, never before today. The PO keeps expected + p80 as its arrival date, so no delay is added again. */
export function effectiveArrivalOf(r: Pick<IncomingRow, 'arrival_date'>, today: string): string {
  return effectiveArrival(r.arrival_date, 0, today);
}
