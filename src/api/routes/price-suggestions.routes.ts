import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { decidePriceSuggestion, listPriceSuggestions } from '../../services/price-suggestions.service.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { OneOf, pageQuery } from '../schemas.js';

const SuggestionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const DECISION =
  'Records the decision, the API key that made it and when; Stockbridge changes no price itself. The same decision again answers the suggestion as it is; ' +
  'the other decision, or a withdrawn suggestion, is 409 `INVALID_TRANSITION`; an unknown id or another organisation’s suggestion is 404 `NOT_FOUND`.';

/** R13: price suggestions, for a person to accept or dismiss. */
export function priceSuggestionsRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/price-suggestions',
      {
        schema: {
          tags: ['price-suggestions'],
          summary: 'Price suggestions per channel and SKU, decided now (R13)',
          description:
            '`low_stock_arrival_soon` (+5 %): stock on offer is at most 3 days of sales and a purchase order arrives at a location of the channel within 3 days. ' +
            '`selling_from_incoming` (−3 %): nothing on offer from stock, units on offer from incoming. `figures` holds the numbers the rule looked at ' +
            '(physical, offered, dailySales over 28 days, daysOfSales, daysToArrival). One live suggestion per channel and SKU; it is `withdrawn` when its condition clears before anyone decided.',
          querystring: pageQuery({ status: Type.Optional(OneOf(['open', 'accepted', 'dismissed', 'withdrawn'] as const)) }),
        },
      },
      async (req) => {
        const page = await listPriceSuggestions(services, caller(req), { after: decodeCursor('price-suggestions', req.query.cursor), limit: req.query.limit ?? 50, status: req.query.status });
        return { items: page.items, nextCursor: encodeCursor('price-suggestions', page.next) };
      },
    );
    r.post('/price-suggestions/:id/accept', { schema: { tags: ['price-suggestions'], summary: 'Accept a price suggestion', description: DECISION, params: SuggestionId } }, async (req) =>
      decidePriceSuggestion(services, caller(req), req.params.id, 'accept'),
    );
    r.post('/price-suggestions/:id/dismiss', { schema: { tags: ['price-suggestions'], summary: 'Dismiss a price suggestion', description: DECISION, params: SuggestionId } }, async (req) =>
      decidePriceSuggestion(services, caller(req), req.params.id, 'dismiss'),
    );
  };
}
