import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { orderMessages, resendMessage } from '../../services/customer-messages.service.js';
import { withIdempotencyKey } from '../../services/idempotency.service.js';
import { cancelOrder } from '../../services/order-cancel.service.js';
import { advancePart } from '../../services/part-fulfilment.service.js';
import { placeOrder } from '../../services/order-intake.service.js';
import { getOrder, listOrders, setOrderPriority } from '../../services/order-query.service.js';
import { requestHash } from '../../services/request-hash.js';
import { caller } from '../auth.js';
import { IdempotencyHeaders, respondIdempotently } from '../idempotent.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { CancelBody, OrderBody, OrderPatch, Page, pageQuery, PartStatus , OneOf } from '../schemas.js';

const OrderId = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

export function ordersRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.post(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Import or place an order; it is split at once into what ships now and what waits (R2, R3)',
          body: OrderBody,
          querystring: Type.Object(
            { mode: Type.Optional(OneOf(['accept', 'strict'] as const, { default: 'accept' })) },
            { additionalProperties: false },
          ),
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        },
      },
      async (request, reply) => {
        const who = caller(request);
        const strict = request.query.mode === 'strict';
        const key = request.headers['idempotency-key'];
        if (key === undefined) {
          const placed = await placeOrder(services, who, request.body, { strict });
          return reply.code(placed.created ? 201 : 200).send(placed.order);
        }
        const hash = requestHash({ body: request.body, mode: request.query.mode ?? 'accept' });
        const result = await withIdempotencyKey(services.store, who.orgId, key, hash, services.now, async (complete) => {
          const placed = await placeOrder(services, who, request.body, { strict, completeIdempotencyKey: complete });
          return { status: placed.created ? 201 : 200, body: placed.order };
        });
        return reply.code(result.status).send(result.body);
      },
    );

    r.get(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Orders with a part in the given status, newest first, with counts per status; `q` searches by order number, customer or SKU',
          querystring: pageQuery({
            status: Type.Optional(PartStatus),
            channel: Type.Optional(Type.String({ maxLength: 32 })),
            externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The order id on the channel' })),
            q: Type.Optional(
              Type.String({
                maxLength: 100,
                description: 'Search: the order id, the order number (external id) exactly or by its start, the customer’s id or e-mail, or a SKU on the order (exact, case as stored)',
              }),
            ),
          }),
        },
      },
      async (request) => {
        const page = await listOrders(services, caller(request), {
          status: request.query.status,
          channel: request.query.channel,
          externalId: request.query.externalId,
          q: request.query.q,
          before: decodeCursor('orders', request.query.cursor),
          limit: request.query.limit ?? 50,
        });
        return { items: page.items, nextCursor: encodeCursor('orders', page.next), counts: page.counts };
      },
    );

    r.get('/orders/:id/messages', { schema: { tags: ['orders'], summary: 'Every message sent (or logged) to the customer about this order (R11)', params: OrderId } }, async (request) => ({
      items: await orderMessages(services, caller(request), request.params.id),
      nextCursor: null,
    }));
    r.post('/messages/:id/resend', { schema: { tags: ['orders'], summary: 'Send a message in doubt (unknown) or failed again', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (request) =>
      resendMessage(services, caller(request), request.params.id),
    );
    r.get('/orders/:id', { schema: { tags: ['orders'], summary: 'An order with its parts and where each unit comes from', params: OrderId } }, async (request) =>
      getOrder(services, caller(request), request.params.id),
    );

    r.patch(
      '/orders/:id',
      { schema: { tags: ['orders'], summary: 'Raise (or lower) an order’s priority: served first when stock arrives (R6)', params: OrderId, body: OrderPatch } },
      async (request) => setOrderPriority(services, caller(request), request.params.id, request.body.priority),
    );

    r.post(
      '/orders/:id/cancel',
      {
        schema: {
          tags: ['orders'],
          summary: 'Cancel every unshipped part; freed units go to waiting backorders (R19; honours Idempotency-Key)',
          params: OrderId,
          body: Type.Optional(CancelBody),
          headers: IdempotencyHeaders,
        },
      },
      async (request, reply) =>
        respondIdempotently(services, request, reply, 200, (record) =>
          cancelOrder(services, caller(request), request.params.id, undefined, request.body?.reason, record),
        ),
    );

    r.post(
      '/orders/:id/parts/:partId/cancel',
      {
        schema: {
          tags: ['orders'],
          summary: 'Cancel one part; freed units go to waiting backorders (R19)',
          params: Type.Object({ id: Type.String({ maxLength: 64 }), partId: Type.String({ maxLength: 64 }) }),
          body: Type.Optional(CancelBody),
          headers: IdempotencyHeaders,
        },
      },
      async (request, reply) =>
        respondIdempotently(services, request, reply, 200, (record) =>
          cancelOrder(services, caller(request), request.params.id, request.params.partId, request.body?.reason, record),
        ),
    );

    const PartParams = Type.Object({ id: Type.String({ maxLength: 64 }), partId: Type.String({ maxLength: 64 }) });
    r.post(
      '/orders/:id/parts/:partId/start-processing',
      {
        schema: {
          tags: ['orders'],
          summary: 'An open part is being picked at its location (R4: open → processing)',
          params: PartParams,
          headers: IdempotencyHeaders,
        },
      },
      async (request, reply) =>
        respondIdempotently(services, request, reply, 200, (record) =>
          advancePart(services, caller(request), request.params.id, request.params.partId, 'start_processing', {}, record),
        ),
    );
    r.post(
      '/orders/:id/parts/:partId/ship',
      {
        schema: {
          tags: ['orders'],
          summary: 'A processing part has shipped: its units leave stock with a shipment ledger row (R4: processing → shipped)',
          params: PartParams,
          body: Type.Optional(
            Type.Union([
              Type.Object(
                { carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), trackingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
                { additionalProperties: false },
              ),
              Type.Null(),
            ]),
          ),
          headers: IdempotencyHeaders,
        },
      },
      async (request, reply) =>
        respondIdempotently(services, request, reply, 200, (record) =>
          advancePart(services, caller(request), request.params.id, request.params.partId, 'ship', request.body ?? {}, record),
        ),
    );
  };
}
