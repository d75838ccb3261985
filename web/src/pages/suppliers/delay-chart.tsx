import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { Supplier } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** R8: a delivery at most one day late is on time. */
const ON_TIME_DAYS = 1;

const cssColour = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * R8: each first receipt's delay in days (received − expected), oldest first: on time in the
 * ok colour, late in the warning colour. The table beside it holds the same figures as text.
 */
export default function DelayChart({ deliveries, labelledBy }: { deliveries: Supplier['deliveries']; labelledBy: string }) {
  const { t, formatDate } = useI18n();
  const [ok, late, muted] = [cssColour('--ok'), cssColour('--warn'), cssColour('--muted')];
  return (
    <Bar
      aria-labelledby={labelledBy}
      role="img"
      data-testid="delay-chart"
      data={{
        labels: deliveries.map((d) => formatDate(d.firstReceivedAt)),
        datasets: [
          {
            label: t('suppliers.col.delay'),
            data: deliveries.map((d) => d.delayDays),
            backgroundColor: deliveries.map((d) => (d.delayDays > ON_TIME_DAYS ? late : ok)),
            maxBarThickness: 40,
          },
        ],
      }}
      options={{
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => deliveries[items[0]?.dataIndex ?? 0]?.purchaseOrder ?? '',
              label: (item) => t('suppliers.days', { n: Number(item.raw) }),
            },
          },
        },
        scales: {
          x: { ticks: { color: muted } },
          y: { title: { display: true, text: t('suppliers.delayAxis'), color: muted }, ticks: { color: muted, precision: 0 } },
        },
      }}
    />
  );
}
