import { expect, it } from 'vitest';
import { CHECKS, runDueChecks } from '../../src/services/scheduler.js';
import { describeEachStore } from '../support/harness.js';

/** The scheduled checks (R9, R10, R13) run in one process per interval, however many run the scheduler. */
describeEachStore('scheduler leases', (harness) => {
  it('two processes due at the same moment run each check once between them; again within the interval nothing runs; an interval later everything does', async () => {
    const { services } = harness();
    const at = new Date(Date.parse('2031-01-01T00:00:00Z')).toISOString();
    const [a, b] = await Promise.all([
      runDueChecks(services, { intervalMs: 60_000, worker: 'a', at }),
      runDueChecks(services, { intervalMs: 60_000, worker: 'b', at }),
    ]);
    expect([...a, ...b].sort()).toEqual(Object.keys(CHECKS).sort());
    expect(await runDueChecks(services, { intervalMs: 60_000, worker: 'c', at: new Date(Date.parse(at) + 30_000).toISOString() })).toEqual([]);
    const later = await runDueChecks(services, { intervalMs: 60_000, worker: 'c', at: new Date(Date.parse(at) + 60_000).toISOString() });
    expect(later.sort()).toEqual(Object.keys(CHECKS).sort());
    const rows = await services.store.db.selectFrom('scheduler_runs').selectAll().execute();
    expect(rows.every((r) => r.worker === 'c' && r.finished_at !== null)).toBe(true);
  });
});
