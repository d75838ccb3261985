#!/usr/bin/env node
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { queueRecompute, runDueRecomputes, startRecomputeRunner } from '../src/services/offer-recompute.service.js';

const { SingleBar, Presets } = cliProgress;
import { loadConfig } from '../src/config.js';
import { loadDemo } from '../src/demo/demo-data.js';
import { openServices, startChecks, startServer, startWorkers } from '../src/main.js';
import { startOfferRefresher } from '../src/services/offer-refresh.service.js';
import { rebuildAllKpis, rebuildKpisInTx } from '../src/services/kpi-rebuild.service.js';
import type { Role } from '../src/services/context.js';
import { createOrganisation, findOrganisation, insertApiKey } from '../src/services/organisations.service.js';

const program = new Command();
program.name('stockbridge').description('Multi-channel inventory and orders with backorder management.');

program
  .command('serve')
  .description('Migrate, load the demo organisation into an empty SQLite database, and serve the API')
  .option('--no-demo', 'do not load demo data into an empty database')
  .action(async (opts: { demo: boolean }) => {
    const config = loadConfig();
    const demo = opts.demo && !config.databaseUrl.startsWith('postgres');
    const running = await startServer(config, { demo });
    const lines = [
      '',
      `Stockbridge is running at ${running.url}`,
      `  Dashboard: ${running.url}/   (sign in with an API key)`,
      `  API docs:  ${running.url}/docs   (OpenAPI: ${running.url}/openapi.json)`,
      `  Database:  ${config.databaseUrl}`,
      config.smtpUrl
        ? `  E-mail:    customer e-mails go out over ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}`
        : '  E-mail:    SMTP_URL is not set: customer e-mails are written to the message log only (GET /v1/orders/{id}/messages)',
    ];
    if (running.demoKey) {
      lines.push(`  API key:   ${running.demoKey}   (admin key of the demo organisation)`);
      lines.push(`  Try:       curl -H "Authorization: Bearer ${running.demoKey}" '${running.url}/v1/orders?status=backorder'`);
    } else {
      lines.push('  API key:   none to show; create one with `stockbridge api-key --org <organisation>` (or `stockbridge init --org NAME`)');
    }
    lines.push('');
    process.stdout.write(lines.join('\n') + '\n');
    const shutdown = async (signal: string) => {
      process.stdout.write(`\n${signal}: finishing open requests and closing the database…\n`);
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const services = await openServices(loadConfig());
    await services.store.close();
    process.stdout.write('Database is up to date.\n');
  });

program
  .command('init')
  .description('Create an organisation and print its first admin API key')
  .requiredOption('--org <name>', 'organisation name')
  .action(async (opts: { org: string }) => {
    const services = await openServices(loadConfig());
    const org = await createOrganisation(services.store, opts.org);
    await services.store.close();
    process.stdout.write(`Organisation ${org.name} (${org.orgId})\nAdmin API key (shown once): ${org.adminKey.key}\n`);
  });

program
  .command('api-key')
  .description('Create an API key for an existing organisation (e.g. when every admin key is lost) and print it once')
  .requiredOption('--org <id or name>', 'organisation id or name')
  .option('--role <role>', 'admin, operator or read-only', 'admin')
  .option('--name <name>', 'a label for the key', 'created with the CLI')
  .action(async (opts: { org: string; role: string; name: string }) => {
    if (!['admin', 'operator', 'read-only'].includes(opts.role)) throw new Error(`--role must be admin, operator or read-only, got ${opts.role}`);
    const services = await openServices(loadConfig());
    try {
      const org = await findOrganisation(services.store, opts.org);
      const key = await insertApiKey(services.store.db, org.id, opts.name, opts.role as Role, new Date().toISOString());
      process.stdout.write(`Organisation ${org.name} (${org.id})\n${opts.role} API key (shown once): ${key.key}\n`);
    } finally {
      await services.store.close();
    }
  });

program
  .command('demo')
  .description('Load a demo organisation (catalogue, channels, stock, orders) and print its admin key')
  .option('--name <name>', 'organisation name', 'Demo Phone Cases BV')
  .action(async (opts: { name: string }) => {
    const services = await openServices(loadConfig());
    const org = await loadDemo(services, opts.name);
    await services.store.close();
    process.stdout.write(`Demo organisation ${org.name} (${org.orgId})\nAdmin API key (shown once): ${org.adminKey.key}\n`);
  });

program
  .command('worker')
  .description('Deliver webhooks from the outbox (R12), run the background offer recomputes and the scheduled checks (R9, R10, R13), without serving the API; run as many as you like')
  .action(async () => {
    const config = loadConfig();
    const services = await openServices(config);
    const dispatcher = startWorkers(services);
    const recomputes = startRecomputeRunner(services);
    const refresher = startOfferRefresher(services);
    const scheduler = startChecks(services, config, { error: (obj, msg) => process.stderr.write(`${msg}: ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : v))}\n`) });
    process.stdout.write(`Stockbridge worker ${process.pid}: delivering webhooks, recomputing offers and running the scheduled checks. Ctrl-C to stop.\n`);
    const shutdown = async () => {
      await Promise.all([dispatcher.stop(), recomputes.stop(), refresher.stop(), scheduler.stop()]);
      services.mailer?.close();
      await services.store.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
  });

program
  .command('recompute-offers')
  .description('Recompute the offered stock of every SKU on every channel now (R7), with progress; also runs any queued recompute')
  .requiredOption('--org <id or name>', 'organisation id or name')
  .action(async (opts: { org: string }) => {
    const services = await openServices(loadConfig());
    try {
      const org = await findOrganisation(services.store, opts.org);
      const at = new Date().toISOString();
      await services.store.transact((tx) => queueRecompute(tx, org.id, 'cli', at));
      const bar = new SingleBar({ format: 'offered stock {bar} {value}/{total} SKUs · {changed} changed', hideCursor: true }, Presets.shades_classic);
      let started = false;
      const ran = await runDueRecomputes(services, (v) => {
        if (!started) bar.start(v.total, 0, { changed: 0 });
        started = true;
        bar.update(v.done, { changed: v.changed });
      });
      if (started) bar.stop();
      for (const r of ran) process.stdout.write(`${r.id} (${r.reason}): ${r.status}, ${r.done} SKUs, ${r.changed} values changed${r.error ? `: ${r.error}` : ''}\n`);
    } finally {
      await services.store.close();
    }
  });

program
  .command('rebuild-kpis')
  .description('Recompute the daily KPI rows (R18) of every organisation, or one, from stored history')
  .option('--org <id or name>', 'only this organisation')
  .action(async (opts: { org?: string }) => {
    const services = await openServices(loadConfig());
    try {
      const report = (o: { id: string; name: string; lines: number; rows: number }) =>
        process.stdout.write(`${o.name} (${o.id}): ${o.lines} order lines, ${o.rows} daily KPI rows\n`);
      if (opts.org) {
        const org = await findOrganisation(services.store, opts.org);
        const done = await services.store.transact((tx) => rebuildKpisInTx(tx, services.store.dialect, org.id));
        report({ id: org.id, name: org.name, ...done });
      } else {
        await rebuildAllKpis(services, report);
      }
    } finally {
      await services.store.close();
    }
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`stockbridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
