/** Latency samples and throughput of one measured run. */

export interface RunStats {
  /** Orders that succeeded in the measured window. */
  readonly orders: number;
  /** Failed calls / non-2xx responses in the window. */
  readonly errors: number;
  readonly seconds: number;
  readonly ordersPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** Collects per-call latencies (ms) without growing a JS array per sample. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private n = 0;
  errors = 0;

  record(ms: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentile of the samples so far. */
  percentile(p: number): number {
    return percentile(this.samples.slice(0, this.n).sort(), p);
  }

  summarize(seconds: number): RunStats {
    const sorted = this.samples.slice(0, this.n).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      orders: this.n,
      errors: this.errors,
      seconds,
      ordersPerSec: this.n / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: this.n ? sum / this.n : NaN,
    };
  }
}

/** Nearest-rank percentile of ascending samples; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `call` back to back in `inFlight` loops for `seconds`, timing each call. */
export async function timedLoop(seconds: number, inFlight: number, call: () => Promise<void> | void): Promise<RunStats> {
  const rec = new LatencyRecorder();
  const start = nowMs();
  const end = start + seconds * 1000;
  let firstError: unknown = null;
  const worker = async () => {
    while (nowMs() < end) {
      const t0 = nowMs();
      try {
        await call();
        rec.record(nowMs() - t0);
      } catch (err) {
        rec.errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  if (firstError) console.error(`  ! ${rec.errors} failed calls; first: ${String((firstError as Error).message ?? firstError)}`);
  return rec.summarize((nowMs() - start) / 1000);
}
