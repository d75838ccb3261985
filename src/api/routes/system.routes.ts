import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Services } from '../../services/context.js';
import { registry } from '../metrics.js';

/** Unauthenticated: liveness with a database round trip and Prometheus metrics. */
export function systemRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
      try {
        await sql`select 1`.execute(services.store.db);
        return { status: 'ok', database: services.store.dialect };
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: services.store.dialect });
      }
    });
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  };
}
