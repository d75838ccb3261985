import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { GradeBadge } from './grade-badge';
import { formatReliability } from './reliability-format';
import { useSupplier } from './supplier-queries';
import { TableWrap } from '../../ui/table-wrap';

// chart.js comes with this chart only, not with the first page (test/e2e/bundle-size.test.ts).
const DelayChart = lazy(() => import('./delay-chart'));

/** R8: one supplier's figures, its delays over time as a chart, and the deliveries behind them. */
export function SupplierDetailPage({ id }: { id: string }) {
  const { t, formatNumber, formatDate, formatDateTime } = useI18n();
  const supplier = useSupplier(id);
  const back = (
    <p>
      <Link to="/suppliers">← {t('suppliers.back')}</Link>
    </p>
  );
  if (supplier.isPending) return <Loading />;
  if (supplier.isError) return (<>{back}<ErrorMessage error={supplier.error} onRetry={() => void supplier.refetch()} /></>);
  const s = supplier.data;
  const f = formatReliability(s.reliability, t, formatNumber);
  const facts = [
    ['suppliers.col.leadTime', t('suppliers.days', { n: s.leadTimeDays })],
    ['suppliers.col.deliveries', String(s.reliability.deliveries)],
    ['suppliers.col.onTime', f.onTime],
    ['suppliers.col.meanDelay', f.mean],
    ['suppliers.col.stdDev', f.stdDev],
    ['suppliers.col.p80', f.p80],
  ] as const;
  return (
    <>
      {back}
      <div className="detail-head">
        <h1>{s.name}</h1>
        <GradeBadge grade={s.reliability.grade} />
        <Link className="push-right" to={`/purchase-orders?supplier=${encodeURIComponent(s.id)}`}>
          {t('suppliers.purchaseOrders')}
        </Link>
      </div>
      <p className="muted">{t(`suppliers.grade.${s.reliability.grade}.hint`)}</p>
      <dl className="facts card">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2 id="delay-title">{t('suppliers.delays')}</h2>
      {s.deliveries.length === 0 ? (
        <EmptyState>{t('suppliers.noDeliveries')}</EmptyState>
      ) : (
        <>
          <div className="card chart-box">
            <Suspense fallback={<Loading />}>
              <DelayChart deliveries={s.deliveries} labelledBy="delay-title" />
            </Suspense>
          </div>
          <TableWrap>
            <table aria-labelledby="delay-title">
              <thead>
                <tr>
                  <th scope="col">{t('suppliers.col.purchaseOrder')}</th>
                  <th scope="col">{t('po.col.expected')}</th>
                  <th scope="col">{t('suppliers.col.firstReceived')}</th>
                  <th scope="col" className="num">{t('suppliers.col.delay')}</th>
                </tr>
              </thead>
              <tbody>
                {[...s.deliveries].reverse().map((d) => (
                  <tr key={d.purchaseOrder}>
                    <td>{d.purchaseOrder}</td>
                    <td className="nowrap">{formatDate(d.expectedDate)}</td>
                    <td className="nowrap">{formatDateTime(d.firstReceivedAt)}</td>
                    <td className="num">{t('suppliers.days', { n: d.delayDays })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}
