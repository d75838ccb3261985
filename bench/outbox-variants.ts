/**
 * Issue 5's cost of the outbox at intake (BENCH_ONLY='*in-process*'): each in-process run
 * against its `-no-outbox` twin, where no step writes event rows (setOutboxForBenchmark). The
 * plain run writes what the product writes: order.created, order.backordered and the offered
 * stock events, in the order's transaction. Medians over BENCH_REPEAT rounds.
 */
export function outboxOverhead(results: readonly { id: string; ordersPerSec: number; p50Ms: number }[]): string[] {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const of = (id: string) => results.filter((r) => r.id === id);
  const out: string[] = [];
  for (const without of new Set(results.map((r) => r.id).filter((id) => id.endsWith('-no-outbox')))) {
    const withId = without.slice(0, -'-no-outbox'.length);
    const a = of(withId);
    const b = of(without);
    if (a.length === 0) continue;
    const rate = (rs: typeof a) => median(rs.map((r) => r.ordersPerSec));
    const p50 = (rs: typeof a) => median(rs.map((r) => r.p50Ms));
    const extra = (rate(b) / rate(a) - 1) * 100;
    out.push(
      `${withId}: with the outbox ${Math.round(rate(a))} orders/s (p50 ${p50(a).toFixed(2)} ms) [${a.map((r) => Math.round(r.ordersPerSec)).join(', ')}], ` +
        `without ${Math.round(rate(b))} orders/s (p50 ${p50(b).toFixed(2)} ms) [${b.map((r) => Math.round(r.ordersPerSec)).join(', ')}]: ` +
        `the outbox adds ${extra.toFixed(1)} % to intake time`,
    );
  }
  return out.length ? ['\nIssue 5, the outbox at intake (target: adds ≤ 10 % to intake time):', ...out.map((l) => `  ${l}`)] : [];
}
