import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { loadDemo } from './demo/demo-data.js';
import type { Services } from './services/context.js';
import { openStore, sqlitePath } from './store/db.js';
import { migrateToLatest } from './store/migrator.js';
import { authenticate } from './services/organisations.service.js';
import { startRecomputeRunner } from './services/offer-recompute.service.js';
import { startOfferRefresher } from './services/offer-refresh.service.js';
import { startDispatcher } from './services/webhook-dispatcher.js';
import { startScheduler } from './services/scheduler.js';
import { smtpMailer } from './services/customer-messages.service.js';
import { parseAllowList } from './domain/address-policy.js';

/** The built dashboard: `vite build` writes it beside the compiled server (dist/src/main.js → dist/web). */
const DASHBOARD_DIR = fileURLToPath(new URL('../web', import.meta.url));

/** The composition root: store, services, HTTP. */
export async function openServices(config: Config): Promise<Services> {
  const store = openStore({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous, pgPoolSize: config.pgPoolSize });
  await migrateToLatest(store.db);
  return {
    store,
    now: () => new Date(),
    ...(config.smtpUrl ? { mailer: smtpMailer(config.smtpUrl) } : {}),
    webhooks: { allow: parseAllowList(config.webhookAllow), deadLetterAfterMs: config.webhookDeadLetterHours * 3_600_000, leaseMs: config.webhookLeaseMs },
  };
}

export interface Running {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly demoKey: string | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { demo: boolean }): Promise<Running> {
  const services = await openServices(config);
  const demoKey = opts.demo ? await ensureDemo(services, config) : null;
  // The HTTP stack loads only here: `stockbridge worker` starts without it (a third of a second less).
  const { buildApp } = await import('./api/app.js');
  const app = await buildApp({ services, bodyLimitBytes: config.bodyLimitBytes, logLevel: config.logLevel, dashboardDir: DASHBOARD_DIR });
  // R7: full recomputes of offered stock (settings changes, and each new day) run in the background.
  const recomputes = startRecomputeRunner(services);
  const refresher = startOfferRefresher(services);
  const dispatcher = config.dispatcher ? startWorkers(services) : null;
  // R9, R10, R13: the time-driven checks (one process runs each per interval).
  const scheduler = startChecks(services, config, app.log);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let stopping: Promise<void> | null = null;
  return {
    app,
    url: `http://${host}:${port}`,
    demoKey,
    stop: () => (stopping ??= app
      .close()
      .then(() => Promise.all([recomputes.stop(), refresher.stop(), dispatcher?.stop(), scheduler.stop()]))
      .then(() => {
        services.mailer?.close();
        return services.store.close();
      })),
  };
}

/** The outbox dispatcher (R12) as `serve` runs it, and as `stockbridge worker` runs it alone. */
export function startWorkers(services: Services) {
  const webhooks = services.webhooks;
  return startDispatcher(services, { allow: webhooks?.allow, deadLetterAfterMs: webhooks?.deadLetterAfterMs, leaseMs: webhooks?.leaseMs });
}

/** The scheduled checks as `serve` and `stockbridge worker` run them; a failing check is logged and tried again next interval. */
export function startChecks(services: Services, config: Config, log: { error(obj: unknown, msg: string): void }) {
  return startScheduler(services, config.schedulerIntervalMs, (err, check) => log.error({ err, check }, 'scheduled check failed'));
}

/**
 * Loads the demo organisation into an empty database. Its admin key is kept beside the SQLite
 * file (data/demo-admin-key, mode 600) so that every start can print it; the database itself
 * only holds the key's hash.
 */
async function ensureDemo(services: Services, config: Config): Promise<string | null> {
  const keyFile = services.store.dialect === 'sqlite' ? join(dirname(sqlitePath(config.databaseUrl)), 'demo-admin-key') : null;
  const any = await services.store.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (!any) {
    const org = await loadDemo(services);
    if (keyFile) writeFileSync(keyFile, org.adminKey.key + '\n', { mode: 0o600 });
    return org.adminKey.key;
  }
  if (!keyFile || !existsSync(keyFile)) return null;
  const key = readFileSync(keyFile, 'utf8').trim();
  // Print it only while it still works (it may have been revoked since).
  return authenticate(services.store, key).then(
    () => key,
    () => null,
  );
}
