import { outstanding } from '../domain/purchase-order-lifecycle.js';
import type { Caller, Services } from './context.js';
import { requireProduct } from './lookups.js';
import type { IncomingLineView } from './purchasing-shape.js';

/**
 * SPEC §2 `incoming` and `promised` of one SKU, per purchase-order line still to come, earliest
 * effective arrival first (the order promises are made in, R3). Drafts are not incoming.
 */
export async function listIncoming(services: Services, caller: Caller, sku: string): Promise<IncomingLineView[]> {
  const db = services.store.db;
  const product = await requireProduct(db, caller.orgId, sku, 'path');
  const rows = await db
    .selectFrom('purchase_order_lines as pl')
    .innerJoin('purchase_orders as po', 'po.id', 'pl.po_id')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .innerJoin('locations as l', 'l.id', 'po.location_id')
    .select(['po.id', 'po.number', 'po.status', 'po.expected_date', 'po.arrival_date', 's.id as supplier_id', 's.name as supplier_name', 'l.code as location'])
    .select(['pl.qty_ordered', 'pl.qty_received', 'pl.qty_damaged', 'pl.qty_cancelled', 'pl.qty_promised'])
    .where('pl.org_id', '=', caller.orgId)
    .where('pl.product_id', '=', product.id)
    .where('po.status', 'in', ['open', 'partially_received'])
    .orderBy('po.arrival_date')
    .orderBy('po.number')
    .execute();
  return rows
    .filter((r) => outstanding(r) > 0)
    .map((r) => ({
      purchaseOrder: { id: r.id, number: r.number, status: r.status },
      supplier: { id: r.supplier_id, name: r.supplier_name },
      location: r.location,
      expectedDate: r.expected_date,
      arrivalDate: r.arrival_date,
      ordered: r.qty_ordered,
      incoming: outstanding(r),
      promised: r.qty_promised,
    }));
}
