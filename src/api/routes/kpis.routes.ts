import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../domain/app-error.js';
import type { Services } from '../../services/context.js';
import { kpiReport } from '../../services/kpi-report.service.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { OneOf, pageQuery } from '../schemas.js';
import { KPI_DESCRIPTION } from './kpis.description.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A UTC calendar day, YYYY-MM-DD (inclusive)' });

/** R18: backorder KPIs over a date range, overall or per channel, supplier or SKU, with a daily series. */
export function kpisRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.get(
      '/kpis',
      {
        schema: {
          tags: ['kpis'],
          summary: 'Backorder KPIs for a date range: totals and a daily series, overall and per channel, supplier or SKU (R18)',
          description: KPI_DESCRIPTION,
          querystring: pageQuery({
            from: Day,
            to: Day,
            by: Type.Optional(OneOf(['channel', 'supplier', 'sku'] as const, { description: 'Group by; without it, overall figures only' })),
          }),
        },
      },
      async (req) => {
        const { by } = req.query;
        // A cursor names its grouping: one from another grouping is refused, not misread.
        const cursor = decodeCursor('kpis', req.query.cursor);
        if (cursor !== null && !cursor.startsWith(`${by}:`)) throw new AppError('INVALID_CURSOR', 'The cursor belongs to another grouping (by); start without one.');
        const report = await kpiReport(services, caller(req), {
          from: req.query.from,
          to: req.query.to,
          by,
          after: cursor === null ? null : cursor.slice(`${by}:`.length),
          limit: req.query.limit ?? 50,
        });
        const { next, ...rest } = report;
        return { ...rest, nextCursor: encodeCursor('kpis', next === null ? null : `${by}:${next}`) };
      },
    );
  };
}
