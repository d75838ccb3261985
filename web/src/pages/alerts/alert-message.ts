import { useI18n } from '../../i18n/i18n';
import type { AlertItem } from './alert-queries';

type Details = Record<string, unknown>;
const str = (d: Details, key: string): string | null => (typeof d[key] === 'string' ? (d[key] as string) : null);
const num = (d: Details, key: string): number | null => (typeof d[key] === 'number' ? (d[key] as number) : null);

/**
 * An alert's message in the reader's language, from its type and `details` (R10). The API's
 * own English `message` stays the fallback: for an alert raised before its details carried
 * what the words need, or a type the dashboard does not know.
 */
export function useAlertMessage(): (alert: AlertItem) => string {
  const { t, formatDate, formatDateTime, formatNumber } = useI18n();
  const percent = (n: number) => formatNumber(n, { style: 'percent', maximumFractionDigits: 0 });
  const grade = (g: string | null) => (g === 'new' || g === 'reliable' || g === 'erratic' ? t(`suppliers.grade.${g}`) : (g ?? ''));

  const wordings: Record<string, (d: Details, alert: AlertItem) => string | null> = {
    demand_spike: (d, alert) => {
      const [sku, from, hours, units, days, daily, threshold] = [str(d, 'sku'), str(d, 'windowFrom'), num(d, 'windowHours'), num(d, 'windowUnits'), num(d, 'baselineDays'), num(d, 'baselineDaily'), num(d, 'threshold')];
      if (sku === null || from === null || hours === null || units === null || days === null || daily === null || threshold === null) return null;
      const spike = t('alerts.msg.demand_spike', { sku, units, hours, from: formatDateTime(from), daily: formatNumber(daily), days, threshold: formatNumber(threshold) });
      // The pause starts when the alert is first raised and ends at acknowledgement or after its hours.
      const pause = num(d, 'pauseHours');
      const pausing = pause !== null && pause > 0 && alert.status === 'open' && Date.parse(alert.firstSeen) + pause * 3_600_000 > Date.now();
      return pausing ? `${spike} ${t('alerts.msg.demand_spike.paused', { hours: pause })}` : spike;
    },
    po_overdue: (d) => {
      const [po, supplier, expected] = [str(d, 'purchaseOrder'), str(d, 'supplier'), str(d, 'expectedDate')];
      return po && supplier && expected ? t('alerts.msg.po_overdue', { po, supplier, date: formatDate(expected) }) : null;
    },
    supplier_grade_dropped: (d) => {
      const [supplier, po, deliveries, onTime] = [str(d, 'supplier'), str(d, 'purchaseOrder'), num(d, 'deliveries'), num(d, 'onTimeRate')];
      if (!supplier || !po || deliveries === null) return null;
      const sd = num(d, 'stdDevDays');
      return t('alerts.msg.supplier_grade_dropped', {
        supplier,
        from: grade(str(d, 'from')),
        to: grade(str(d, 'to')),
        po,
        onTime: onTime === null ? '–' : percent(onTime),
        sd: sd === null ? '–' : formatNumber(sd),
        deliveries,
      });
    },
    backorder_aging: (d) => {
      const [order, channel, placed, limit] = [str(d, 'externalId'), str(d, 'channel'), str(d, 'placedAt'), num(d, 'limitDays')];
      if (!order || !channel || !placed || limit === null) return null;
      const promised = str(d, 'promisedDate');
      const base = t('alerts.msg.backorder_aging', { order, channel, date: formatDate(placed.slice(0, 10)), days: limit });
      return `${base} ${promised ? t('alerts.msg.backorder_aging.promised', { date: formatDate(promised) }) : t('alerts.msg.backorder_aging.notPromised')}`;
    },
    promise_at_risk: (d) => {
      const [po, delivery] = [str(d, 'purchaseOrder'), str(d, 'deliveryDate')];
      const parts = Array.isArray(d.parts) ? d.parts.length : null;
      return po && delivery && parts !== null ? t('alerts.msg.promise_at_risk', { po, date: formatDate(delivery), n: parts }) : null;
    },
    oversold: (d) => {
      const sku = str(d, 'sku');
      const cause = str(d, 'cause');
      if (!sku || (cause !== 'ordered_uncovered' && cause !== 'promise_lost')) return null;
      return t(`alerts.msg.oversold.${cause}`, { sku });
    },
    message_unknown: (d) => {
      const recipient = str(d, 'recipient');
      return recipient ? t('alerts.msg.message_unknown', { recipient }) : null;
    },
  };
  return (alert) => {
    const word = wordings[alert.type];
    return (word && alert.details ? word(alert.details, alert) : null) ?? alert.message;
  };
}
