import type { Supplier } from '../../api/types';
import type { Translate } from '../../i18n/i18n';

type Figures = Supplier['reliability'];

/** R8's figures in words; a supplier without deliveries has none to show. */
export function formatReliability(r: Figures, t: Translate) {
  const none = t('common.none');
  const days = (v: number | null) => (v === null ? none : t('suppliers.days', { n: v }));
  return {
    onTime: r.onTimeRate === null ? none : `${Math.round(r.onTimeRate * 100)} %`,
    mean: days(r.meanDelayDays),
    stdDev: days(r.stdDevDays),
    p80: r.deliveries === 0 ? none : days(r.p80DelayDays),
  };
}
