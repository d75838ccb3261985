import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { getRecompute, listRecomputes, requestRecompute } from '../../services/offer-recompute.service.js';
import { listOfferGrid } from '../../services/offer-grid.service.js';
import { getAvailability, getOfferBreakdown, listOffers } from '../../services/offered-stock.service.js';
import { createSeason, deleteSeason } from '../../services/organisations.service.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { Code, pageQuery, SeasonBody, Sku } from '../schemas.js';

/** R7 offered stock with its breakdown, the background recomputes, and R15's season calendar. */
export function offeredStockRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/offered-stock',
      {
        schema: {
          tags: ['offered-stock'],
          summary: 'What each channel may sell of each SKU; with `changes=true`, only values changed since the cursor, in the order they changed (for connectors)',
          querystring: pageQuery({
            channel: Type.Optional(Code),
            sku: Type.Optional(Sku),
            changes: Type.Optional(Type.Boolean({ description: 'Page through changes: every response has a `nextCursor` to poll from next time' })),
          }),
        },
      },
      async (req) => {
        const list = req.query.changes ? 'offered-stock-changes' : 'offered-stock';
        const page = await listOffers(services, caller(req), {
          channel: req.query.channel,
          sku: req.query.sku,
          changes: req.query.changes ?? false,
          after: decodeCursor(list, req.query.cursor),
          limit: req.query.limit ?? 50,
        });
        return { items: page.items, nextCursor: encodeCursor(list, page.next) };
      },
    );
    r.get(
      '/offered-stock/by-sku',
      {
        schema: {
          tags: ['offered-stock'],
          summary: 'The stored offers one row per SKU with every channel side by side, in SKU order; `q` keeps SKUs starting with it (as typed or in capitals)',
          querystring: pageQuery({ q: Type.Optional(Type.String({ maxLength: 64, description: 'SKU prefix' })) }),
        },
      },
      async (req) => {
        const page = await listOfferGrid(services, caller(req), { q: req.query.q, after: decodeCursor('offered-stock-by-sku', req.query.cursor), limit: req.query.limit ?? 50 });
        return { items: page.items, nextCursor: encodeCursor('offered-stock-by-sku', page.next) };
      },
    );
    r.get(
      '/offered-stock/:channel/:sku',
      { schema: { tags: ['offered-stock'], summary: 'The offered value of one SKU on one channel, computed now, term by term', params: Type.Object({ channel: Code, sku: Sku }) } },
      async (req) => getOfferBreakdown(services, caller(req), req.params.channel, req.params.sku),
    );

    r.get(
      '/availability/:sku',
      {
        schema: {
          tags: ['offered-stock'],
          summary: 'For a product page: in stock, on backorder or pre-order with the expected delivery date, or unavailable, on one channel',
          params: Type.Object({ sku: Sku }),
          querystring: Type.Object({ channel: Code }, { additionalProperties: false }),
        },
      },
      async (req) => getAvailability(services, caller(req), req.params.sku, req.query.channel),
    );

    r.get('/offered-stock-recomputes', { schema: { tags: ['offered-stock'], summary: 'Recent full recomputes and their progress' } }, async (req) => ({
      items: await listRecomputes(services, caller(req)),
      nextCursor: null,
    }));
    r.post('/offered-stock-recomputes', { schema: { tags: ['offered-stock'], summary: 'Queue a full recompute of every SKU (it runs in the background)' } }, async (req, reply) =>
      reply.code(202).send(await requestRecompute(services, caller(req))),
    );
    r.get('/offered-stock-recomputes/:id', { schema: { tags: ['offered-stock'], params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req) =>
      getRecompute(services, caller(req), req.params.id),
    );

    r.post('/settings/seasons', { schema: { tags: ['settings'], summary: 'Add a season (R15)', body: SeasonBody } }, async (req, reply) =>
      reply.code(201).send(await createSeason(services, caller(req), req.body)),
    );
    r.delete('/settings/seasons/:id', { schema: { tags: ['settings'], params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
      await deleteSeason(services, caller(req), req.params.id);
      return reply.code(204).send();
    });
  };
}
