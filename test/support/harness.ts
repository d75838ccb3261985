import { parseAllowList } from '../../src/domain/address-policy.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { Services } from '../../src/services/context.js';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { openStore, type Dialect } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Harness {
  readonly dialect: Dialect;
  readonly services: Services;
  readonly baseUrl: string;
  readonly databaseUrl: string;
  /** The admin key of the organisation every test in the file starts with. */
  readonly key: string;
  readonly orgId: string;
  api<T = any>(method: string, path: string, body?: unknown, opts?: { key?: string | null; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  /** A second organisation with its own admin key. */
  newOrganisation(name: string): Promise<{ orgId: string; key: string }>;
}

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/**
 * Runs `suite` once per database: a real SQLite file and a real PostgreSQL database, each
 * created for this file and dropped after, behind a real Fastify server on a loopback port.
 */
export function describeEachStore(name: string, suite: (h: () => Harness) => void) {
  for (const dialect of DIALECTS) {
    const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
    run(`${name} [${dialect}]`, () => {
      let harness: Harness | undefined;
      let db: TestDatabase;
      let app: FastifyInstance;
      beforeAll(async () => {
        db = await createTestDatabase(dialect);
        const made = await startHarness(db);
        harness = made.harness;
        app = made.app;
      });
      afterAll(async () => {
        await app?.close();
        await harness?.services.store.close();
        await db?.drop();
      });
      suite(() => {
        if (!harness) throw new Error('harness not started');
        return harness;
      });
    });
  }
}

export async function startHarness(db: TestDatabase, opts: { bodyLimitBytes?: number; webhookAllow?: string } = {}) {
  const store = openStore({ url: db.url });
  await migrateToLatest(store.db);
  // R12: tests deliver webhooks to receivers on 127.0.0.1, so that one address is allowed.
  const services: Services = { store, now: () => new Date(), webhooks: { allow: parseAllowList(opts.webhookAllow ?? '127.0.0.1'), deadLetterAfterMs: 86_400_000 } };
  const app = await buildApp({ services, logLevel: false, bodyLimitBytes: opts.bodyLimitBytes });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const org = await createOrganisation(store, 'Test Merchant');
  const harness: Harness = {
    dialect: db.dialect,
    services,
    baseUrl,
    databaseUrl: db.url,
    key: org.adminKey.key,
    orgId: org.orgId,
    api: (method, path, body, o) => callApi(baseUrl, method, path, body, o?.key === undefined ? org.adminKey.key : o.key, o?.headers),
    newOrganisation: async (name) => {
      const other = await createOrganisation(store, name);
      return { orgId: other.orgId, key: other.adminKey.key };
    },
  };
  return { harness, app };
}

export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  key: string | null,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const h: Record<string, string> = { ...headers };
  if (key !== null) h.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
