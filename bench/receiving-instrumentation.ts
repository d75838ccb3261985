/**
 * Optional looks inside the timed real receipts: a V8 CPU profile of each (summarise it with
 * bench/cpuprofile-top.ts) and the time of each by statement (bench/statement-trace.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { MeasureOptions, Way } from './receiving-measure.js';
import { f1 } from './receiving-report.js';
import { installStatementTrace, traceStatements } from './statement-trace.js';
import { nowMs } from './stats.js';

export interface Looks {
  /** Write a .cpuprofile of every timed real receipt here. */
  readonly profileDir?: string | undefined;
  /** Print the statements of every timed real receipt, costliest first. */
  readonly trace: boolean;
}

const TRACE_TOP = 15;
let profiles = 0;

async function profiled<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}-${++profiles}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function traced<T>(fn: () => Promise<T>): Promise<T> {
  const t0 = nowMs();
  const { value, costs } = await traceStatements(fn);
  const total = nowMs() - t0;
  const inStatements = costs.reduce((a, c) => a + c.ms, 0);
  console.log(`\n  trace: ${f1(total)} ms, of which ${f1(inStatements)} ms in ${costs.reduce((a, c) => a + c.calls, 0)} statement calls:`);
  for (const c of costs.slice(0, TRACE_TOP)) console.log(`    ${f1(c.ms).padStart(8)} ms ${String(c.calls).padStart(4)}×  ${c.shape.slice(0, 160)}`);
  return value;
}

/** Must be called before any store opens (the statement trace wraps the drivers). */
export function prepareLooks(looks: Looks): void {
  if (looks.trace) installStatementTrace();
}

/** The `around` hook for measureReceipt: the real path gets the looks asked for, the raw floor none. */
export function lookOptions(looks: Looks, cellId: string): MeasureOptions {
  const { profileDir, trace } = looks;
  if (!profileDir && !trace) return {};
  const name = cellId.replace(/\//g, '-');
  return {
    around: <T>(way: Way, fn: () => Promise<T>): Promise<T> => {
      if (way !== 'real') return fn();
      const inner = trace ? () => traced(fn) : fn;
      return profileDir ? profiled(profileDir, name, inner) : inner();
    },
  };
}
