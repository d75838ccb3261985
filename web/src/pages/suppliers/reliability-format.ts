import type { Supplier } from '../../api/types';
import type { Translate } from '../../i18n/i18n';

type Figures = Supplier['reliability'];

/** R8's figures in words and the reader's number format (1,4 d); a supplier without deliveries has none to show. */
export function formatReliability(r: Figures, t: Translate, formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string) {
  const none = t('common.none');
  const days = (v: number | null) => (v === null ? none : t('suppliers.days', { n: formatNumber(v, { maximumFractionDigits: 1 }) }));
  return {
    onTime: r.onTimeRate === null ? none : formatNumber(r.onTimeRate, { style: 'percent', maximumFractionDigits: 1 }),
    mean: days(r.meanDelayDays),
    stdDev: days(r.stdDevDays),
    p80: r.deliveries === 0 ? none : days(r.p80DelayDays),
  };
}
