/**
 * Where a receipt's time goes, statement by statement: wraps better-sqlite3's statement calls
 * and pg's Client#query (prototype-wide, from the bench; src/ is untouched) and, while
 * recording, adds up the wall time of each call by statement shape (its text with every list
 * of placeholders or value tuples folded to one). For PostgreSQL a call's time is its round
 * trip: the server's work plus the wire.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { nowMs } from './stats.js';

export interface StatementCost {
  readonly shape: string;
  readonly calls: number;
  readonly ms: number;
}

let recording = false;
const costs = new Map<string, { calls: number; ms: number }>();
let installed = false;

/** `(?, ?), (?, ?)` → `(?, ?) ×n`, `in (?, ?, ?)` → `in (? ×n)`, `$12` → `?`. */
export function shapeOf(text: string): string {
  return text
    .replace(/\$\d+/g, '?')
    .replace(/(\([^()]*\))(\s*,\s*\([^()]*\))+/g, '$1 ×n')
    .replace(/\?(\s*,\s*\?)+/g, '? ×n')
    .replace(/\s+/g, ' ')
    .trim();
}

function add(text: string, ms: number) {
  const shape = shapeOf(text);
  const c = costs.get(shape) ?? { calls: 0, ms: 0 };
  c.calls += 1;
  c.ms += ms;
  costs.set(shape, c);
}

function install() {
  if (installed) return;
  installed = true;
  const probe = new BetterSqlite3(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      if (!recording) return original.apply(this, args);
      const t0 = nowMs();
      try {
        return original.apply(this, args);
      } finally {
        add(this.source, nowMs() - t0);
      }
    };
  }
  const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    const result = query.apply(this, args);
    if (!recording || !(result instanceof Promise)) return result;
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
    const t0 = nowMs();
    return result.finally(() => add(text, nowMs() - t0));
  };
}

/** Must run before the stores whose statements are traced open their connections. */
export function installStatementTrace(): void {
  install();
}

export async function traceStatements<T>(fn: () => Promise<T>): Promise<{ value: T; costs: StatementCost[] }> {
  costs.clear();
  recording = true;
  try {
    const value = await fn();
    return { value, costs: [...costs].map(([shape, c]) => ({ shape, ...c })).sort((a, b) => b.ms - a.ms) };
  } finally {
    recording = false;
  }
}
