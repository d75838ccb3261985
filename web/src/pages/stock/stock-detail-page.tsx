import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useLocations } from '../purchase-orders/purchasing-queries';
import { AdjustmentForm } from './adjustment-form';
import { IncomingTable } from './incoming-table';
import { MovementLedger } from './movement-ledger';
import { useIncoming, useProductStock } from './stock-queries';
import { TableWrap } from '../../ui/table-wrap';

/** One SKU: SPEC §2's quantities per location and per incoming purchase order, the ledger behind them, and (operators, admins) an adjustment. */
export function StockDetailPage({ sku }: { sku: string }) {
  const { t, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const stock = useProductStock(sku);
  const locations = useLocations();
  const incoming = useIncoming(sku);
  const back = (
    <p>
      <Link to="/stock">← {t('stock.back')}</Link>
    </p>
  );
  if (stock.isPending || locations.isPending || incoming.isPending) return <Loading />;
  const failed = [stock, locations, incoming].find((q) => q.isError);
  if (failed || !stock.data || !locations.data || !incoming.data) {
    return (<>{back}<ErrorMessage error={failed?.error} onRetry={() => void failed?.refetch()} /></>);
  }
  const s = stock.data;
  const all = locations.data.items;
  const lines = incoming.data.items;
  const figures = {
    onHand: s.onHand,
    reserved: s.reserved,
    available: s.available,
    incoming: lines.reduce((n, l) => n + l.incoming, 0),
    promised: lines.reduce((n, l) => n + l.promised, 0),
  };
  return (
    <>
      {back}
      <h1 id="sku-title">{t('stock.skuTitle', { sku: s.sku })}</h1>
      <dl className="facts quantities card" data-testid="stock-totals">
        {(['onHand', 'reserved', 'available', 'incoming', 'promised'] as const).map((q) => (
          <div key={q}>
            <dt>{t(`stock.${q}`)}</dt>
            <dd className="figure" data-quantity={q}>
              {figures[q]}
            </dd>
            <dd className="small muted">{t(`stock.${q}.hint`)}</dd>
          </div>
        ))}
      </dl>
      <h2 id="levels-title">{t('stock.byLocation')}</h2>
      {s.locations.length === 0 ? (
        <EmptyState>{t('stock.noLevels')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="levels-title" data-testid="levels">
            <thead>
              <tr>
                <th scope="col">{t('po.col.location')}</th>
                <th scope="col" className="num">{t('stock.onHand')}</th>
                <th scope="col" className="num">{t('stock.reserved')}</th>
                <th scope="col" className="num">{t('stock.available')}</th>
                <th scope="col">{t('stock.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {s.locations.map((l) => (
                <tr key={l.location} data-location={l.location}>
                  <th scope="row">{l.location}</th>
                  <td className="num">{l.onHand}</td>
                  <td className="num">{l.reserved}</td>
                  <td className="num">{l.available}</td>
                  <td className="nowrap">{formatDateTime(l.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <IncomingTable lines={lines} />
      {canWrite && all.length > 0 && <AdjustmentForm stock={s} locations={all} />}
      <MovementLedger sku={s.sku} locations={all} />
    </>
  );
}
