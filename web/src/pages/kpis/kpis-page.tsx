import { useChannels } from '../../api/channel-queries';
import type { KpiFigures } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { PageProps } from '../../shell/pages';
import { navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { KpiChart } from './kpi-chart';
import { KPI_METRICS, daysBefore, daysOf, type KpiMetric } from './kpi-metrics';
import { useKpis } from './kpi-queries';
import { TableWrap } from '../../ui/table-wrap';

const DEFAULT_DAYS = 90;
const PRESETS = [30, 90, 365] as const;

/** The range lives in the URL (?from=&to=); without one, the last 90 days up to today (UTC). */
function rangeOf(search: URLSearchParams): { from: string; to: string } {
  const to = search.get('to') ?? new Date().toISOString().slice(0, 10);
  return { from: search.get('from') ?? daysBefore(to, DEFAULT_DAYS - 1), to };
}

function show(from: string, to: string) {
  navigate(`/kpis?${new URLSearchParams({ from, to })}`, { replace: true });
}

function useFormat() {
  const { t, tn, language } = useI18n();
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  return (metric: KpiMetric, figures: KpiFigures) => {
    const v = figures[metric.key];
    if (v === null) return t('common.none');
    return metric.unit === 'percent' ? percent.format(v) : tn('kpis.days', Math.round(v * 10) / 10);
  };
}

/** R18 over a date range: the overall figures, a chart per figure with a line per channel, and the same per channel as a table. */
export function KpisPage({ search }: PageProps) {
  const { t, tn } = useI18n();
  const format = useFormat();
  const { from, to } = rangeOf(search);
  const kpis = useKpis(from, to);
  const channels = useChannels();
  const channelName = (code: string | undefined) => channels.data?.items.find((c) => c.code === code)?.name ?? code ?? '';
  const report = kpis.data;
  const groups = report?.groups ?? [];
  const days = report ? daysOf(report.from, report.to) : [];
  return (
    <>
      <h1>{t('kpis.title')}</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t('kpis.range')}>
        <div>
          <label htmlFor="kpi-from">{t('kpis.from')}</label>
          <input id="kpi-from" type="date" value={from} required onChange={(e) => e.target.value && show(e.target.value, to)} />
        </div>
        <div>
          <label htmlFor="kpi-to">{t('kpis.to')}</label>
          <input id="kpi-to" type="date" value={to} required onChange={(e) => e.target.value && show(from, e.target.value)} />
        </div>
        <div className="presets" role="group" aria-label={t('kpis.presets')}>
          {PRESETS.map((n) => {
            const today = new Date().toISOString().slice(0, 10);
            const active = to === today && from === daysBefore(today, n - 1);
            return (
              <button key={n} type="button" aria-pressed={active} onClick={() => show(daysBefore(today, n - 1), today)}>
                {t('kpis.lastDays', { n })}
              </button>
            );
          })}
        </div>
      </form>
      {kpis.isPending ? (
        <Loading />
      ) : kpis.isError ? (
        <ErrorMessage error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : (
        report && (
          <section aria-busy={kpis.isFetching}>
            <dl className="headline" data-testid="headline">
              {KPI_METRICS.map((m) => (
                <div key={m.key} className="card" data-metric={m.key}>
                  <dt>{t(m.label)}</dt>
                  <dd>{format(m, report.totals)}</dd>
                  <dd className="muted small" data-testid="basis">
                    {tn(m.basis.label, report.totals[m.basis.count])}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="muted small">{t('kpis.volume', { lines: report.totals.lines, units: report.totals.unitsOrdered, oversold: report.totals.unitsOversold })}</p>
            {report.series.length === 0 ? (
              <EmptyState>{t('kpis.empty')}</EmptyState>
            ) : (
              <>
                <div className="charts">
                  {KPI_METRICS.map((m) => (
                    <figure key={m.key} className="card chart" data-metric={m.key}>
                      <figcaption>{t(m.label)}</figcaption>
                      <div className="chart-box">
                        <KpiChart metric={m} days={days} lines={groups.map((g) => ({ label: channelName(g.channel), series: g.series }))} />
                      </div>
                    </figure>
                  ))}
                </div>
                <h2 id="kpi-channels">{t('kpis.perChannel')}</h2>
                <TableWrap>
                  <table aria-labelledby="kpi-channels">
                    <thead>
                      <tr>
                        <th scope="col">{t('kpis.channel')}</th>
                        {KPI_METRICS.map((m) => (
                          <th key={m.key} scope="col" className="num">
                            {t(m.label)}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {groups.map((g) => (
                        <tr key={g.channel} data-channel={g.channel}>
                          <th scope="row">{channelName(g.channel)}</th>
                          {KPI_METRICS.map((m) => (
                            <td key={m.key} className="num">
                              {format(m, g.totals)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              </>
            )}
          </section>
        )
      )}
    </>
  );
}
