/** What both benchmarks print about the run: the commit measured and the machine's load. */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** The commit measured, with a mark when src/ has uncommitted changes. */
export function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} (src/ modified)` : head;
  } catch {
    return 'unknown';
  }
}

/** The 1/5/15-minute load averages, with a warning when other work is probably running. */
export function loadLine(): string {
  const load = loadavg();
  return `load average (1/5/15 min): ${load.map((l) => l.toFixed(2)).join(' / ')}${load[0]! > 1.5 ? '  — WARNING: other work may be running; results may be low and noisy' : ''}`;
}

/** A bench setting from the environment: a positive number, or `fallback` when unset. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

/** A bench setting from the environment: an integer ≥ `min`, or `fallback` when unset. */
export function envInteger(name: string, fallback: number, min = 1): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return v;
}
