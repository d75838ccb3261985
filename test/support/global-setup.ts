import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { PG_ADMIN_URL } from './pg-url.js';

/**
 * Decides once per run whether PostgreSQL is there. Under CI=true it must be: the run fails.
 * Elsewhere its suites skip, and this says so in one loud line.
 */
export default async function setup(project: TestProject) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  let available = true;
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    available = false;
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is unreachable at ${PG_ADMIN_URL} and CI=true: the PostgreSQL suites cannot be skipped. (${String(err)})`);
    }
    console.warn(`\n!!!!! PostgreSQL unreachable at ${PG_ADMIN_URL}: every PostgreSQL suite is SKIPPED in this run !!!!!\n`);
  } finally {
    await client.end().catch(() => {});
  }
  project.provide('pgAvailable', available);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
  }
}
