import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../domain/app-error.js';
import type { Services } from '../../services/context.js';
import { createApiKey, describeCaller, getSettings, listApiKeys, revokeApiKey, updateSettings } from '../../services/organisations.service.js';
import { listEvents } from '../../store/events.repository.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { ApiKeyBody, OneOf, pageQuery, SettingsPatch } from '../schemas.js';

const Me = Type.Object({
  organisation: Type.Object({ id: Type.String(), name: Type.String() }),
  key: Type.Object({ id: Type.String(), name: Type.String(), role: OneOf(['admin', 'operator', 'read-only'] as const), prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }) }),
});

/** The caller, settings, API keys, and the read side of events. */
export function adminRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get('/me', { schema: { tags: ['settings'], summary: 'The organisation and the role of the key making the request', response: { 200: Me } } }, async (req) =>
      describeCaller(services, caller(req)),
    );

    r.get('/settings', { schema: { tags: ['settings'] } }, async (req) => getSettings(services, caller(req)));
    r.patch('/settings', { schema: { tags: ['settings'], body: SettingsPatch } }, async (req) =>
      updateSettings(services, caller(req), req.body),
    );

    r.get('/api-keys', { schema: { tags: ['api-keys'] } }, async (req) => ({ items: await listApiKeys(services, caller(req)), nextCursor: null }));
    r.post('/api-keys', { schema: { tags: ['api-keys'], summary: 'Create a key; the key itself is shown only in this response', body: ApiKeyBody } }, async (req, reply) =>
      reply.code(201).send(await createApiKey(services, caller(req), req.body.name, req.body.role)),
    );
    r.delete('/api-keys/:id', { schema: { tags: ['api-keys'], params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req) =>
      revokeApiKey(services, caller(req), req.params.id),
    );

    r.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Events in commit order (R12), optionally of one type or about one subject (e.g. an order id: its timeline)',
          querystring: pageQuery({ type: Type.Optional(Type.String({ maxLength: 64 })), subject: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The subject id: an order, purchase order, product…' })) }),
        },
      },
      async (req) => {
        const limit = req.query.limit ?? 50;
        const after = decodeCursor('events', req.query.cursor);
        if (after !== null && !(services.store.dialect === 'sqlite' ? /^evt_[0-9A-Z]{26}$/ : /^\d+\.evt_[0-9A-Z]{26}$/).test(after)) {
          throw new AppError('INVALID_CURSOR', 'The cursor is not one this list returned; start without one.');
        }
        const rows = await listEvents(services.store.db, services.store.dialect, caller(req).orgId, after, limit + 1, { type: req.query.type, subject: req.query.subject });
        const page = rows.slice(0, limit);
        return {
          items: page.map((e) => ({ id: e.id, type: e.type, subjectType: e.subject_type, subjectId: e.subject_id, payload: JSON.parse(e.payload), createdAt: e.created_at })),
          // Past settled events only (listEvents): the next page may repeat one still settling.
          nextCursor: encodeCursor('events', rows.length > limit ? ([...page].reverse().find((e) => e.settled)?.cursor ?? after ?? `0.evt_${'0'.repeat(26)}`) : null),
        };
      },
    );
  };
}
