import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ALERT_STATUSES } from '../../domain/alert-lifecycle.js';
import { ALERT_TYPES } from '../../domain/alert-types.js';
import { acknowledgeAlert, getAlertView, listAlertViews } from '../../services/alerts.service.js';
import type { Services } from '../../services/context.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { OneOf, pageQuery } from '../schemas.js';

const AlertId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** R10: alerts — listed with filters, one by id, and acknowledged. */
export function alertsRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alerts, oldest first',
          description:
            'R10. Types: `demand_spike` (R9), `po_overdue`, `supplier_grade_dropped`, `backorder_aging`, `promise_at_risk` (`details.parts` names the affected parts), ' +
            '`oversold`, `message_unknown` (R11). Status: `open` → `acknowledged` → `resolved` (automatically, when the condition clears). ' +
            'One unresolved alert per condition: a repeat bumps `occurrences` and `lastSeen`.',
          querystring: pageQuery({
            status: Type.Optional(OneOf(ALERT_STATUSES as readonly ['open', 'acknowledged', 'resolved'])),
            type: Type.Optional(OneOf(ALERT_TYPES)),
          }),
        },
      },
      async (req) => {
        const page = await listAlertViews(services, caller(req), {
          after: decodeCursor('alerts', req.query.cursor),
          limit: req.query.limit ?? 50,
          status: req.query.status,
          type: req.query.type,
        });
        return { items: page.items, nextCursor: encodeCursor('alerts', page.next) };
      },
    );

    r.get('/alerts/:id', { schema: { tags: ['alerts'], summary: 'One alert, with its details', params: AlertId } }, async (req) => getAlertView(services, caller(req), req.params.id));

    r.post(
      '/alerts/:id/ack',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Acknowledge an alert',
          description:
            'Open → acknowledged; records the key and the time and writes `alert.acknowledged`. Acknowledging a demand spike ends its pause of the SKU’s incoming offer. ' +
            'Already acknowledged: 200 with the alert as it is (idempotent, no second event). Resolved: 409 `INVALID_TRANSITION`. Unknown or another organisation’s: 404 `NOT_FOUND`.',
          params: AlertId,
        },
      },
      async (req) => acknowledgeAlert(services, caller(req), req.params.id),
    );
  };
}
