import type { Kysely } from 'kysely';
import type { AlertType } from '../domain/alert-types.js';
import { unresolvedAlerts } from '../store/alerts.repository.js';
import type { Dialect } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { raise, resolve, type AlertInput } from './alerts.service.js';

/**
 * R10 for the scheduled checks: makes the unresolved alerts of one type match the conditions
 * that hold now. A condition without an alert raises one; one whose message or details changed
 * (e.g. another part now at risk) updates it; an alert whose condition no longer holds is
 * resolved. An unchanged condition writes nothing, so a check that runs every minute does not
 * count a minute as an occurrence. With `raiseNew: false` the check only resolves (for alerts
 * raised where they happen, like `oversold` at intake).
 */
export async function reconcileAlerts(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  at: string,
  type: AlertType,
  holding: readonly AlertInput[],
  opts: { raiseNew?: boolean } = {},
): Promise<{ raised: number; resolved: number }> {
  const existing = new Map((await unresolvedAlerts(tx, orgId, type)).map((a) => [`${a.subject_type}:${a.subject_id}`, a]));
  let raised = 0;
  let resolved = 0;
  const now = new Set<string>();
  for (const c of holding) {
    const key = `${c.subjectType}:${c.subjectId}`;
    now.add(key);
    const before = existing.get(key);
    if (!before && opts.raiseNew === false) continue;
    if (before && before.message === c.message && before.details === (c.details === undefined ? null : JSON.stringify(c.details))) continue;
    if ((await raise(tx, dialect, orgId, at, c)).created) raised++;
  }
  for (const [key, alert] of existing) {
    if (!now.has(key) && (await resolve(tx, dialect, alert, at))) resolved++;
  }
  return { raised, resolved };
}
