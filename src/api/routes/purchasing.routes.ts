import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import {
  cancelPurchaseOrder,
  createPurchaseOrder,
  createSupplier,
  getPurchaseOrder,
  getSupplier,
  listPurchaseOrders,
  listSuppliers,
  updatePurchaseOrder,
} from '../../services/purchasing.service.js';
import { getReceipt, listReceipts, receivePurchaseOrder } from '../../services/receiving.service.js';
import { caller } from '../auth.js';
import { IdempotencyHeaders, respondIdempotently } from '../idempotent.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { OneOf, pageQuery, PurchaseOrderBody, PurchaseOrderCancelBody, PurchaseOrderPatch, ReceiptBody, SupplierBody } from '../schemas.js';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** Suppliers, purchase orders and receiving (R5, R8). */
export function purchasingRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get('/suppliers', { schema: { tags: ['purchasing'], summary: 'Suppliers with their reliability (R8)' } }, async (req) => ({
      items: await listSuppliers(services, caller(req)),
      nextCursor: null,
    }));
    r.post('/suppliers', { schema: { tags: ['purchasing'], body: SupplierBody } }, async (req, reply) =>
      reply.code(201).send(await createSupplier(services, caller(req), req.body)),
    );
    r.get('/suppliers/:id', { schema: { tags: ['purchasing'], summary: 'A supplier: delays, on-time rate, p80 delay, grade and history (R8)', params: Id } }, async (req) =>
      getSupplier(services, caller(req), req.params.id),
    );

    r.get(
      '/purchase-orders',
      {
        schema: {
          tags: ['purchasing'],
          summary: 'Purchase orders, newest first',
          querystring: pageQuery({
            status: Type.Optional(OneOf(['draft', 'open', 'partially_received', 'received', 'cancelled'] as const)),
            supplierId: Type.Optional(Type.String({ maxLength: 64 })),
          }),
        },
      },
      async (req) => {
        const limit = req.query.limit ?? 50;
        const page = await listPurchaseOrders(services, caller(req), {
          status: req.query.status,
          supplierId: req.query.supplierId,
          before: decodeCursor('purchase-orders', req.query.cursor),
          limit,
        });
        return { items: page.items, nextCursor: encodeCursor('purchase-orders', page.next) };
      },
    );
    r.post('/purchase-orders', { schema: { tags: ['purchasing'], summary: 'Record a purchase order with its expected date and lines', body: PurchaseOrderBody } }, async (req, reply) =>
      reply.code(201).send(await createPurchaseOrder(services, caller(req), req.body)),
    );
    r.get('/purchase-orders/:id', { schema: { tags: ['purchasing'], params: Id } }, async (req) => getPurchaseOrder(services, caller(req), req.params.id));
    r.patch(
      '/purchase-orders/:id',
      { schema: { tags: ['purchasing'], summary: 'Move the expected date, change quantities, or submit a draft', params: Id, body: PurchaseOrderPatch } },
      async (req) => updatePurchaseOrder(services, caller(req), req.params.id, req.body),
    );
    r.post(
      '/purchase-orders/:id/cancel',
      { schema: { tags: ['purchasing'], summary: 'Cancel what is still to come, on some lines or all', params: Id, body: Type.Optional(PurchaseOrderCancelBody) } },
      async (req) => cancelPurchaseOrder(services, caller(req), req.params.id, req.body?.skus),
    );

    r.post(
      '/purchase-orders/:id/receipts',
      {
        schema: {
          tags: ['purchasing'],
          summary: 'Receive goods: stock grows, waiting orders are filled by the allocation policy, and the cross-dock list says where each unit goes (R5, R6; honours Idempotency-Key)',
          params: Id,
          body: ReceiptBody,
          headers: IdempotencyHeaders,
        },
      },
      async (req, reply) => respondIdempotently(services, req, reply, 201, (record) => receivePurchaseOrder(services, caller(req), req.params.id, req.body, record)),
    );
    r.get('/purchase-orders/:id/receipts', { schema: { tags: ['purchasing'], params: Id } }, async (req) => ({
      items: await listReceipts(services, caller(req), req.params.id),
      nextCursor: null,
    }));
    r.get(
      '/purchase-orders/:id/receipts/:receiptId',
      {
        schema: {
          tags: ['purchasing'],
          summary: 'A receipt with its cross-dock list',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), receiptId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        },
      },
      async (req) => getReceipt(services, caller(req), req.params.id, req.params.receiptId),
    );
  };
}
