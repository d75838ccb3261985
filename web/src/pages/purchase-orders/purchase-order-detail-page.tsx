import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { GradeBadge } from '../suppliers/grade-badge';
import { LatenessBadge, PoStatusBadge } from './purchase-order-badges';
import { CHANGEABLE, PurchaseOrderCancel, PurchaseOrderEdit } from './purchase-order-changes';
import { usePurchaseOrder, useReceipts, useSuppliers } from './purchasing-queries';
import { TableWrap } from '../../ui/table-wrap';

/** R5: only an open or partly received order takes a receipt. */
export const RECEIVABLE = new Set(['open', 'partially_received']);

/** One purchase order: where and when it comes, each line's progress and promises (R3, R5), and its receipts. */
export function PurchaseOrderDetailPage({ id }: { id: string }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const po = usePurchaseOrder(id);
  const receipts = useReceipts(id);
  const suppliers = useSuppliers();
  const back = (
    <p>
      <Link to="/purchase-orders">← {t('po.back')}</Link>
    </p>
  );
  if (po.isPending) return <Loading />;
  if (po.isError) return (<>{back}<ErrorMessage error={po.error} onRetry={() => void po.refetch()} /></>);
  const o = po.data;
  const supplier = suppliers.data?.items.find((s) => s.id === o.supplier.id);
  return (
    <>
      {back}
      <div className="detail-head">
        <h1>{t('po.detailTitle', { number: o.number })}</h1>
        <PoStatusBadge status={o.status} />
        <LatenessBadge po={o} />
        {canWrite && RECEIVABLE.has(o.status) && (
          <Link className="button primary push-right" to={`/purchase-orders/${encodeURIComponent(o.id)}/receive`}>
            {t('po.receive')}
          </Link>
        )}
      </div>
      <dl className="facts card">
        <div>
          <dt>{t('po.col.supplier')}</dt>
          <dd>
            <Link to={`/suppliers/${encodeURIComponent(o.supplier.id)}`}>{o.supplier.name}</Link> {supplier && <GradeBadge grade={supplier.reliability.grade} />}
          </dd>
        </div>
        <div>
          <dt>{t('po.col.location')}</dt>
          <dd>{o.location}</dd>
        </div>
        <div>
          <dt>{t('po.col.expected')}</dt>
          <dd>{formatDate(o.expectedDate)}</dd>
        </div>
        <div>
          <dt>{t('po.col.arrival')}</dt>
          <dd>
            {formatDate(o.arrivalDate)}
            <br />
            <span className="muted small">{t('po.arrivalHint')}</span>
          </dd>
        </div>
      </dl>
      <h2 id="po-lines">{t('po.lines')}</h2>
      <TableWrap>
        <table aria-labelledby="po-lines">
          <thead>
            <tr>
              <th scope="col">{t('po.col.sku')}</th>
              <th scope="col" className="num">{t('po.col.ordered')}</th>
              <th scope="col" className="num">{t('po.col.receivedGood')}</th>
              <th scope="col" className="num">{t('po.col.damaged')}</th>
              <th scope="col" className="num">{t('po.col.cancelled')}</th>
              <th scope="col" className="num">{t('po.col.incoming')}</th>
              <th scope="col" className="num">{t('po.col.promised')}</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => (
              <tr key={l.lineNo} data-sku={l.sku}>
                <td>
                  <Link to={`/stock/${encodeURIComponent(l.sku)}`}>{l.sku}</Link>
                </td>
                <td className="num">{l.ordered}</td>
                <td className="num">{l.received}</td>
                <td className="num">{l.damaged}</td>
                <td className="num">{l.cancelled}</td>
                <td className="num">{l.incoming}</td>
                <td className="num">{l.promised}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {canWrite && CHANGEABLE.has(o.status) && (
        <div className="po-changes">
          {/* The edit form keeps what was typed (and its "Saved"); the cancel choices start again from what is still to come after each change. */}
          <PurchaseOrderEdit po={o} />
          <PurchaseOrderCancel key={o.updatedAt} po={o} />
        </div>
      )}
      <h2 id="po-receipts">{t('po.receipts')}</h2>
      {receipts.isPending ? (
        <Loading />
      ) : receipts.isError ? (
        <ErrorMessage error={receipts.error} onRetry={() => void receipts.refetch()} />
      ) : receipts.data.items.length === 0 ? (
        <EmptyState>{t('po.noReceipts')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="po-receipts">
            <thead>
              <tr>
                <th scope="col">{t('receipt.receivedAt')}</th>
                <th scope="col" className="num">{t('receipt.good')}</th>
                <th scope="col" className="num">{t('receipt.damaged')}</th>
                <th scope="col" className="num">{t('receipt.crossDockUnits')}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/purchase-orders/${encodeURIComponent(o.id)}/receipts/${encodeURIComponent(r.id)}`}>{formatDateTime(r.receivedAt)}</Link>
                  </td>
                  <td className="num">{r.lines.reduce((n, l) => n + l.good, 0)}</td>
                  <td className="num">{r.lines.reduce((n, l) => n + l.damaged, 0)}</td>
                  <td className="num">{r.crossDock.reduce((n, c) => n + c.qty, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
