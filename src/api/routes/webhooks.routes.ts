import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { createSubscription, getDelivery, getSubscription, listDeliveries, listSubscriptions, replayDelivery, updateSubscription } from '../../services/webhooks.service.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { OneOf, pageQuery } from '../schemas.js';

/** R12: webhook subscriptions, deliveries, dead letters and their replay. */
export function webhooksRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
    const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'Event types to receive (see GET /v1/events), or ["*"] for all' });
    const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL on a public address; private, loopback, link-local and metadata addresses are refused' });

    r.post(
      '/webhooks',
      { schema: { tags: ['webhooks'], summary: 'Subscribe a URL; the signing secret is shown in this response only', body: Type.Object({ url: Url, eventTypes: EventTypes }, { additionalProperties: false }) } },
      async (req, reply) => reply.code(201).send(await createSubscription(services, caller(req), req.body)),
    );
    r.get('/webhooks', { schema: { tags: ['webhooks'] } }, async (req) => ({ items: await listSubscriptions(services, caller(req)), nextCursor: null }));
    r.get('/webhooks/:id', { schema: { tags: ['webhooks'], params: Id } }, async (req) => getSubscription(services, caller(req), req.params.id));
    r.patch(
      '/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          params: Id,
          body: Type.Object({ url: Type.Optional(Url), eventTypes: Type.Optional(EventTypes), status: Type.Optional(OneOf(['active', 'disabled'] as const)) }, { additionalProperties: false, minProperties: 1 }),
        },
      },
      async (req) => updateSubscription(services, caller(req), req.params.id, req.body),
    );

    r.get(
      '/webhook-deliveries',
      { schema: { tags: ['webhooks'], summary: 'Deliveries; `status=dead` lists the dead letters', querystring: pageQuery({ status: Type.Optional(OneOf(['pending', 'delivered', 'dead'] as const)), subscription: Type.Optional(Type.String({ maxLength: 64 })) }) } },
      async (req) => {
        const page = await listDeliveries(services, caller(req), {
          status: req.query.status,
          subscriptionId: req.query.subscription,
          after: decodeCursor('webhook-deliveries', req.query.cursor),
          limit: req.query.limit ?? 50,
        });
        return { items: page.items, nextCursor: encodeCursor('webhook-deliveries', page.next) };
      },
    );
    r.get('/webhook-deliveries/:id', { schema: { tags: ['webhooks'], summary: 'One delivery with every attempt', params: Id } }, async (req) => getDelivery(services, caller(req), req.params.id));
    r.post('/webhook-deliveries/:id/replay', { schema: { tags: ['webhooks'], summary: 'Send a dead letter again', params: Id } }, async (req) => replayDelivery(services, caller(req), req.params.id));
  };
}
