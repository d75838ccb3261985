#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { loadDemo } from '../src/demo/demo-data.js';
import { openServices, startServer } from '../src/main.js';
import { createOrganisation } from '../src/services/organisations.service.js';

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
      `  API docs:  ${running.url}/docs   (OpenAPI: ${running.url}/openapi.json)`,
      `  Database:  ${config.databaseUrl}`,
    ];
    if (running.demoKey) lines.push(`  API key:   ${running.demoKey}   (admin key of the demo organisation)`);
    else lines.push('  API key:   create one with `stockbridge init --org "Your company"`');
    lines.push(`  Try:       curl -H "Authorization: Bearer <key>" ${running.url}/v1/orders?status=backorder`, '');
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
  .command('demo')
  .description('Load a demo organisation (catalogue, channels, stock, orders) and print its admin key')
  .option('--name <name>', 'organisation name', 'Demo Phone Cases BV')
  .action(async (opts: { name: string }) => {
    const services = await openServices(loadConfig());
    const org = await loadDemo(services, opts.name);
    await services.store.close();
    process.stdout.write(`Demo organisation ${org.name} (${org.orgId})\nAdmin API key (shown once): ${org.adminKey.key}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`stockbridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
