import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { requireLocation, requireProduct } from '../../services/lookups.js';
import { adjustStock, getProductLevels, toLevelViews } from '../../services/stock.service.js';
import { listMovements } from '../../store/movements.repository.js';
import { levelsForProducts, listProductsPage } from '../../store/stock.repository.js';
import { caller, requireRole } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { AdjustmentBody, Code, Page, pageQuery, Sku } from '../schemas.js';

/** Stock levels per product and location, adjustments, and the movement ledger behind them. */
export function stockRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const db = services.store.db;

    r.get('/stock', { schema: { tags: ['stock'], summary: 'Levels per product (paged by SKU) and location', querystring: Page } }, async (req) => {
      const who = caller(req);
      const limit = req.query.limit ?? 50;
      const products = await listProductsPage(db, who.orgId, decodeCursor(req.query.cursor), limit + 1);
      const page = products.slice(0, limit);
      return {
        items: toLevelViews(await levelsForProducts(db, who.orgId, page.map((p) => p.id))),
        nextCursor: encodeCursor(products.length > limit ? page[page.length - 1]!.sku : null),
      };
    });

    r.get('/stock/:sku', { schema: { tags: ['stock'], params: Type.Object({ sku: Sku }) } }, async (req) => {
      const levels = await getProductLevels(services, caller(req), req.params.sku);
      return {
        sku: req.params.sku,
        onHand: levels.reduce((a, l) => a + l.onHand, 0),
        reserved: levels.reduce((a, l) => a + l.reserved, 0),
        available: levels.reduce((a, l) => a + l.available, 0),
        locations: levels,
      };
    });

    r.get(
      '/stock/:sku/movements',
      {
        schema: {
          tags: ['stock'],
          summary: 'The ledger: every change of on hand and reserved, oldest first',
          params: Type.Object({ sku: Sku }),
          querystring: pageQuery({ location: Type.Optional(Code) }),
        },
      },
      async (req) => {
        const who = caller(req);
        const product = await requireProduct(db, who.orgId, req.params.sku, 'path');
        const location = req.query.location ? await requireLocation(db, who.orgId, req.query.location) : undefined;
        const limit = req.query.limit ?? 50;
        const rows = await listMovements(db, who.orgId, product.id, {
          locationId: location?.id,
          after: decodeCursor(req.query.cursor),
          limit: limit + 1,
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
            partId: m.part_id,
            reason: m.reason,
            createdAt: m.created_at,
          })),
          nextCursor: encodeCursor(rows.length > limit ? page[page.length - 1]!.id : null),
        };
      },
    );

    r.post('/stock/adjustments', { schema: { tags: ['stock'], summary: 'Change on hand at a location, with a ledger row', body: AdjustmentBody } }, async (req, reply) =>
      reply.code(201).send({ levels: await adjustStock(services, requireRole(req, 'operator'), req.body) }),
    );
  };
}
