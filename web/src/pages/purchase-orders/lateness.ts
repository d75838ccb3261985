import type { PurchaseOrder } from '../../api/types';

/** R8: a delivery at most one day after its expected date is on time. */
const ON_TIME_DAYS = 1;

export type Lateness = { kind: 'overdue' | 'late' | 'onTime'; days: number } | null;

const dayNumber = (isoDay: string) => Math.round(Date.parse(`${isoDay}T00:00:00Z`) / 86_400_000);

/**
 * Delivered: late or on time by its recorded delay. Still to come and past its expected date
 * (UTC days, as the server counts): overdue by that many days. Otherwise nothing to say.
 */
export function lateness(po: PurchaseOrder, today: string): Lateness {
  if (po.delayDays !== null) return { kind: po.delayDays > ON_TIME_DAYS ? 'late' : 'onTime', days: po.delayDays };
  if (po.status !== 'open' && po.status !== 'partially_received') return null;
  const days = dayNumber(today) - dayNumber(po.expectedDate);
  return days > 0 ? { kind: 'overdue', days } : null;
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);
