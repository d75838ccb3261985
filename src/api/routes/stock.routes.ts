import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { requireLocation, requireProduct } from '../../services/lookups.js';
import { adjustStock, getProductLevels, toLevelViews, toProductStock } from '../../services/stock.service.js';
import { listIncoming } from '../../services/stock-incoming.service.js';
import { listMovements } from '../../store/movements.repository.js';
import { levelsForProducts, listProductsPage } from '../../store/stock.repository.js';
import { caller } from '../auth.js';
import { IdempotencyHeaders, respondIdempotently } from '../idempotent.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { AdjustmentBody, Code, OneOf, Page, pageQuery, Sku } from '../schemas.js';

/** Stock levels per product and location, adjustments, and the movement ledger behind them. */
export function stockRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const db = services.store.db;

    r.get('/stock', { schema: { tags: ['stock'], summary: 'Levels per product (paged by SKU) and location', querystring: Page } }, async (req) => {
      const who = caller(req);
      const limit = req.query.limit ?? 50;
      const products = await listProductsPage(db, who.orgId, decodeCursor('stock', req.query.cursor), limit + 1);
      const page = products.slice(0, limit);
      const stock = toProductStock(toLevelViews(await levelsForProducts(db, who.orgId, page.map((p) => p.id))));
      const bySku = new Map(stock.map((s) => [s.sku, s]));
      return {
        // One item per product (limit counts products), also those with no stock recorded yet.
        items: page.map((p) => bySku.get(p.sku) ?? { sku: p.sku, onHand: 0, reserved: 0, available: 0, locations: [] }),
        nextCursor: encodeCursor('stock', products.length > limit ? page[page.length - 1]!.sku : null),
      };
    });

    r.get('/stock/:sku', { schema: { tags: ['stock'], params: Type.Object({ sku: Sku }) } }, async (req) => {
      const levels = await getProductLevels(services, caller(req), req.params.sku);
      return toProductStock(levels)[0] ?? { sku: req.params.sku, onHand: 0, reserved: 0, available: 0, locations: [] };
    });

    r.get(
      '/stock/:sku/incoming',
      { schema: { tags: ['stock'], summary: 'Incoming and promised units per open purchase-order line, earliest effective arrival first (SPEC §2, R3)', params: Type.Object({ sku: Sku }) } },
      async (req) => ({ items: await listIncoming(services, caller(req), req.params.sku), nextCursor: null }),
    );

    r.get(
      '/stock/:sku/movements',
      {
        schema: {
          tags: ['stock'],
          summary: 'The ledger: every change of on hand and reserved, oldest first (`order=newest` for the latest first)',
          params: Type.Object({ sku: Sku }),
          querystring: pageQuery({
            location: Type.Optional(Code),
            order: Type.Optional(OneOf(['oldest', 'newest'] as const, { default: 'oldest', description: 'oldest or newest first; a cursor belongs to one order' })),
          }),
        },
      },
      async (req) => {
        const who = caller(req);
        const product = await requireProduct(db, who.orgId, req.params.sku, 'path');
        const location = req.query.location ? await requireLocation(db, who.orgId, req.query.location) : undefined;
        const limit = req.query.limit ?? 50;
        const newestFirst = req.query.order === 'newest';
        const list = newestFirst ? 'movements-newest' : 'movements';
        const rows = await listMovements(db, who.orgId, product.id, {
          locationId: location?.id,
          after: decodeCursor(list, req.query.cursor),
          limit: limit + 1,
          newestFirst,
        });
        const page = rows.slice(0, limit);
        return {
          items: page.map((m) => ({
            id: m.id,
            location: m.location,
            kind: m.kind,
            onHandDelta: m.on_hand_delta,
            reservedDelta: m.reserved_delta,
            orderId: m.order_id,
            /** The order's number on its channel, to name it by. */
            orderNumber: m.order_number,
            partId: m.part_id,
            reason: m.reason,
            createdAt: m.created_at,
          })),
          nextCursor: encodeCursor(list, rows.length > limit ? page[page.length - 1]!.id : null),
        };
      },
    );

    r.post(
      '/stock/adjustments',
      { schema: { tags: ['stock'], summary: 'Change on hand at a location, with a ledger row (honours Idempotency-Key)', body: AdjustmentBody, headers: IdempotencyHeaders } },
      async (req, reply) =>
        respondIdempotently(services, req, reply, 201, async (record) => ({ levels: await adjustStock(services, caller(req), req.body, record) })),
    );
  };
}
