import { CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Line } from 'react-chartjs-2';
import type { KpiSeries } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { plotted, type KpiMetric } from './kpi-metrics';

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, Tooltip, Legend);

/** Distinct in light and dark themes and for the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];

export interface ChartSeries {
  readonly label: string;
  readonly series: KpiSeries['series'];
}

/** One figure over the days of the range, a line per channel; a day without activity is no point. */
export function KpiChart({ metric, days, lines }: { metric: KpiMetric; days: readonly string[]; lines: readonly ChartSeries[] }) {
  const { t, formatDate } = useI18n();
  const text = getComputedStyle(document.documentElement).getPropertyValue('--muted').trim() || '#5b6472';
  const grid = getComputedStyle(document.documentElement).getPropertyValue('--border').trim() || '#dde1e7';
  const data = {
    labels: days.map((d) => formatDate(d)),
    datasets: lines.map((line, i) => {
      const byDay = new Map(line.series.map((d) => [d.day, plotted(metric, d[metric.key])]));
      const colour = COLOURS[i % COLOURS.length]!;
      return { label: line.label, data: days.map((d) => byDay.get(d) ?? null), borderColor: colour, backgroundColor: colour, spanGaps: true, pointRadius: 2, borderWidth: 2 };
    }),
  };
  const suffix = metric.unit === 'percent' ? ' %' : ` ${t('kpis.daysShort')}`;
  return (
    <Line
      role="img"
      aria-label={t('kpis.chartLabel', { figure: t(metric.label) })}
      data={data}
      options={{
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { color: text, maxTicksLimit: 8, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, ...(metric.unit === 'percent' ? { max: 100 } : {}), ticks: { color: text, callback: (v) => `${v}${suffix}` }, grid: { color: grid } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: text, boxWidth: 12 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y}${suffix}` } },
        },
      }}
    />
  );
}
