/**
 * Optional looks inside the offered-stock full recomputes: the time of each by statement
 * (BENCH_OFFERS_TRACE, bench/statement-trace.ts) and a V8 CPU profile of each, real and raw
 * (BENCH_OFFERS_PROFILE_DIR; summarise with bench/cpuprofile-top.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { f0 } from './offered-stock-report.js';
import { installStatementTrace, traceStatements } from './statement-trace.js';
import { nowMs } from './stats.js';

const TRACE = Boolean(process.env.BENCH_OFFERS_TRACE);
const PROFILE_DIR = process.env.BENCH_OFFERS_PROFILE_DIR;

/** Must run before any store opens (the trace wraps the drivers). */
export function prepareLooks(): void {
  if (TRACE) installStatementTrace();
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
}

async function traced<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = nowMs();
  const { value, costs } = await traceStatements(fn);
  const total = nowMs() - t0;
  const inStatements = costs.reduce((a, c) => a + c.ms, 0);
  console.log(`\n  ${name}: ${f0(total)} ms, ${f0(inStatements)} ms in ${f0(costs.reduce((a, c) => a + c.calls, 0))} statement calls:`);
  for (const c of costs.slice(0, 14)) console.log(`    ${f0(c.ms).padStart(7)} ms ${String(c.calls).padStart(6)}×  ${c.shape.slice(0, 200)}`);
  return value;
}

async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR!, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Runs `fn` with the looks asked for; `raw` runs are profiled but not traced. */
export async function look<T>(name: string, fn: () => Promise<T>, raw = false): Promise<T> {
  const inner = TRACE && !raw ? () => traced(name, fn) : fn;
  return PROFILE_DIR ? profiled(name, inner) : inner();
}
