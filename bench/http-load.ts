/**
 * The service over HTTP: the real server (`node dist/cli/main.js serve --no-demo`) in a child
 * process, driven by autocannon from this process with a unique order body per request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { OrderGenerator } from './intake-workload.js';
import type { RunStats } from './stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the server on a free port; extra node flags from BENCH_SERVER_NODE_ARGS (e.g. --cpu-prof). */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<Server> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--no-demo'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000).unref();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface HttpRun extends RunStats {
  readonly status: Record<string, number>;
  readonly timeouts: number;
  readonly sampleErrors: string[];
}

/** POST /v1/orders for `seconds` at `connections` concurrent connections. */
export async function loadOrders(url: string, apiKey: string, gen: OrderGenerator, seconds: number, connections: number): Promise<HttpRun> {
  const sampleErrors: string[] = [];
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    requests: [
      {
        method: 'POST',
        path: '/v1/orders',
        setupRequest: (req) => ({ ...req, body: JSON.stringify(gen.next()) }),
        onResponse: (status, body) => {
          if (status >= 300 && sampleErrors.length < 5) sampleErrors.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  const status: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) status[code] = s.count ?? 0;
  const ok = result['2xx'];
  return {
    orders: ok,
    errors: result.non2xx + result.errors,
    seconds: result.duration,
    ordersPerSec: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    status,
    timeouts: result.timeouts,
    sampleErrors,
  };
}
