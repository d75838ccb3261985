import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Services } from '../services/context.js';
import { authenticate } from '../services/organisations.service.js';
import { bearerToken, requiredRole, requireRole } from './auth.js';
import { registerDashboard } from './dashboard.js';
import { errorHandler, problemFor, sendProblem } from './error-handler.js';
import { httpMetrics } from './metrics.js';
import { adminRoutes } from './routes/admin.routes.js';
import { kpisRoutes } from './routes/kpis.routes.js';
import { alertsRoutes } from './routes/alerts.routes.js';
import { priceSuggestionsRoutes } from './routes/price-suggestions.routes.js';
import { offeredStockRoutes } from './routes/offered-stock.routes.js';
import { webhooksRoutes } from './routes/webhooks.routes.js';
import { messageTemplatesRoutes } from './routes/message-templates.routes.js';
import { catalogueRoutes } from './routes/catalogue.routes.js';
import { ordersRoutes } from './routes/orders.routes.js';
import { purchasingRoutes } from './routes/purchasing.routes.js';
import { stockRoutes } from './routes/stock.routes.js';
import { systemRoutes } from './routes/system.routes.js';
import { validatorCompiler } from './validators.js';

export interface AppOptions {
  readonly services: Services;
  readonly bodyLimitBytes?: number;
  /** pino level, or false for no logs (tests). */
  readonly logLevel?: string | false;
  /** Where the built dashboard is (dist/web); without it `/` says the dashboard is not built. */
  readonly dashboardDir?: string;
}

/** Builds the HTTP application without listening, so tests can inject or listen themselves. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    logger: options.logLevel ? { level: options.logLevel } : false,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  // JSON only: a JSON body sent as text/plain is refused with 415, not parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  const dashboard = await registerDashboard(app, options.dashboardDir);
  // A page of the dashboard that a browser loads directly gets the app, which routes it itself.
  app.setNotFoundHandler((request, reply) =>
    dashboard.isPage(request)
      ? dashboard.sendPage(reply)
      : sendProblem(reply, problemFor('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, request.url)),
  );
  app.decorateRequest('caller', null);
  httpMetrics(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Stockbridge API',
        version: '1',
        description:
          'Multi-channel inventory and orders with backorder management. Authenticate with `Authorization: Bearer <api key>`. ' +
          'Errors are application/problem+json with a stable `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(systemRoutes(services));
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', async (request) => {
        request.caller = await authenticate(services.store, bearerToken(request.headers.authorization));
        requireRole(request, requiredRole(request.method, request.routeOptions.url ?? ''));
      });
      await v1.register(ordersRoutes(services));
      await v1.register(catalogueRoutes(services));
      await v1.register(stockRoutes(services));
      await v1.register(purchasingRoutes(services));
      await v1.register(adminRoutes(services));
      await v1.register(alertsRoutes(services));
      await v1.register(priceSuggestionsRoutes(services));
      await v1.register(offeredStockRoutes(services));
      await v1.register(webhooksRoutes(services));
      await v1.register(messageTemplatesRoutes(services));
      await v1.register(kpisRoutes(services));
    },
    { prefix: '/v1' },
  );
  return app;
}
