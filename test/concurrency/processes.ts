/**
 * Helpers for the concurrency suites: real API processes (`node dist/cli/main.js serve`) on one
 * database, a bounded-concurrency request driver over keep-alive fetch, and a deterministic PRNG.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface ServerProcess {
  readonly index: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** The last lines the process wrote on stdout and stderr (pino logs go to stdout). */
  readonly output: string[];
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
}

export interface Cluster {
  readonly servers: ServerProcess[];
  readonly baseUrls: string[];
  /** Every captured line of every process, prefixed with the process index. */
  logs(): string;
  /** Lines that look like errors: pino level ≥ 50, SQLITE_BUSY, unhandled, stack traces. */
  errorLines(): string[];
  stop(): Promise<void>;
}

/** A port the OS reports free right now (there is a small race; startCluster retries). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const MAX_LINES = 2000;

function capture(stream: NodeJS.ReadableStream | null, into: string[], tag: string) {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      into.push(`${tag} ${line}`);
      if (into.length > MAX_LINES) into.shift();
    }
  });
  stream.on('end', () => {
    if (rest.trim() !== '') into.push(`${tag} ${rest}`);
  });
}

async function waitHealthy(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(
        `API process ${server.index} (port ${server.port}) exited with ${JSON.stringify(server.exited)} before it was healthy:\n${server.output.join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      const text = await res.text();
      if (res.status === 200) return;
      last = `${res.status} ${text}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`API process ${server.index} on port ${server.port} not healthy after ${timeoutMs} ms (last: ${last}):\n${server.output.join('\n')}`);
}

function spawnOne(index: number, port: number, databaseUrl: string, env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--no-demo'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: ServerProcess = { index, port, baseUrl: `http://127.0.0.1:${port}`, child, output: [], exited: null };
  capture(child.stdout, server.output, `[p${index} out]`);
  capture(child.stderr, server.output, `[p${index} err]`);
  child.on('exit', (code, signal) => {
    server.exited = { code, signal };
  });
  return server;
}

async function stopOne(server: ServerProcess): Promise<void> {
  if (server.exited) return;
  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!server.exited) server.child.kill('SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `count` API processes on one database, each on its own free port, and waits until
 * every one answers /healthz. The database should already be migrated.
 */
export async function startCluster(opts: { databaseUrl: string; count: number; env?: Record<string, string> }): Promise<Cluster> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map(stopOne));
  };
  try {
    await Promise.all(
      Array.from({ length: opts.count }, async (_, index) => {
        for (let attempt = 1; ; attempt++) {
          const port = await freePort();
          const server = spawnOne(index, port, opts.databaseUrl, opts.env ?? {});
          try {
            await waitHealthy(server, 30_000);
            servers[index] = server;
            return;
          } catch (err) {
            await stopOne(server);
            const portTaken = server.output.some((l) => l.includes('EADDRINUSE'));
            if (!portTaken || attempt >= 3) throw err;
          }
        }
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    servers,
    baseUrls: servers.map((s) => s.baseUrl),
    logs: () => servers.flatMap((s) => s.output).join('\n'),
    errorLines: () =>
      servers.flatMap((s) =>
        s.output.filter((l) => /"level":(5|6)\d|SQLITE_BUSY|unhandled|Error:|    at /.test(l)),
      ),
    stop,
  };
}

export interface Response<T = any> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly baseUrl: string;
}

/** One HTTP call over the global (keep-alive) fetch; a transport failure is status 0. */
export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(baseUrl + path, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: body as T, text, baseUrl };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const text = `transport error: ${String(err)}${cause ? ` (cause: ${String(cause)})` : ''}`;
    return { status: 0, body: { code: 'TRANSPORT', detail: text } as T, text, baseUrl };
  }
}

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      results[i] = await task(i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** A small deterministic PRNG (mulberry32, shared with the benchmark), so a failing run can be replayed exactly. */
export { rng as prng } from '../../bench/intake-workload.js';

/** Status code → count, for assertion messages. */
export function statusHistogram(responses: readonly { status: number }[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const r of responses) h[String(r.status)] = (h[String(r.status)] ?? 0) + 1;
  return h;
}

/** The distinct error bodies among non-2xx responses (code + detail), with counts. */
export function errorSummary(responses: readonly Response[]): string {
  const m = new Map<string, number>();
  for (const r of responses) {
    if (r.status >= 200 && r.status < 300) continue;
    const b = r.body as { code?: string; detail?: string } | undefined;
    const k = `${r.status} ${b?.code ?? ''} ${b?.detail ?? r.text.slice(0, 200)}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].map(([k, n]) => `${n}× ${k}`).join('\n');
}

export interface SeededCatalogue {
  readonly sku: string;
  readonly location: string;
  readonly channels: string[];
}

/**
 * Through the HTTP API: backorders on for the organisation, one warehouse, `channels` channels
 * that all sell from it and accept backorders (unless told otherwise), one product with `stock` units on hand there.
 */
export async function seedCatalogue(
  baseUrl: string,
  key: string,
  opts: { tag: string; channels: number; stock: number; acceptsBackorders?: boolean },
): Promise<SeededCatalogue> {
  const must = async (method: string, path: string, body: unknown, status: number) => {
    const res = await request(baseUrl, method, path, { key, body });
    if (res.status !== status) throw new Error(`seed ${method} ${path}: expected ${status}, got ${res.status} ${res.text}`);
    return res.body;
  };
  const tag = opts.tag.toLowerCase();
  await must('PATCH', '/v1/settings', { backordersEnabled: true }, 200);
  const location = `wh-${tag}`;
  await must('POST', '/v1/locations', { code: location, name: `Warehouse ${tag}`, kind: 'warehouse', country: 'NL' }, 201);
  const channels: string[] = [];
  const kinds = ['bol', 'amazon', 'webshop', 'shopify', 'woocommerce'];
  for (let i = 0; i < opts.channels; i++) {
    const code = `ch${i}-${tag}`;
    await must(
      'POST',
      '/v1/channels',
      { code, name: `Channel ${code}`, kind: kinds[i % kinds.length], acceptsBackorders: opts.acceptsBackorders ?? true, locations: [location] },
      201,
    );
    channels.push(code);
  }
  const sku = `SKU-${opts.tag.toUpperCase()}`;
  await must('POST', '/v1/products', { sku, name: `Product ${sku}`, price: 10, cost: 4 }, 201);
  if (opts.stock > 0) {
    await must('POST', '/v1/stock/adjustments', { sku, location, delta: opts.stock, kind: 'receipt' }, 201);
  }
  return { sku, location, channels };
}

/** Every item of a cursor-paginated list endpoint, `pageSize` per page, following nextCursor. */
export async function listAll<T = any>(
  baseUrl: string,
  key: string,
  path: string,
  pageSize = 200,
): Promise<{ items: T[]; first: any; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let first: any;
  let pages = 0;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const res: Response = await request(baseUrl, 'GET', `${path}${sep}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    first ??= res.body;
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor;
    pages++;
    if (pages > 1000) throw new Error(`GET ${path}: more than 1000 pages, the cursor does not advance`);
  } while (cursor);
  return { items, first, pages };
}
