import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useReceipt } from './purchasing-queries';
import { TableWrap } from '../../ui/table-wrap';

/**
 * R5: a receipt and its cross-dock list, which received units go straight from the dock to
 * which order part, in the order the allocation policy (R6) handed them out, and what is left
 * for the shelves. Printable: the print sheet leaves out the nav and the buttons.
 */
export function ReceiptPage({ poId, receiptId }: { poId: string; receiptId: string }) {
  const { t, formatDateTime } = useI18n();
  const receipt = useReceipt(poId, receiptId);
  const back = (
    <p className="no-print">
      <Link to={`/purchase-orders/${encodeURIComponent(poId)}`}>← {t('receiving.back')}</Link>
    </p>
  );
  if (receipt.isPending) return <Loading />;
  if (receipt.isError) return (<>{back}<ErrorMessage error={receipt.error} onRetry={() => void receipt.refetch()} /></>);
  const r = receipt.data;
  return (
    <>
      {back}
      <div className="detail-head">
        <h1>{t('receipt.title', { number: r.purchaseOrder.number })}</h1>
        <span className="muted">{t('receipt.at', { date: formatDateTime(r.receivedAt), location: r.location })}</span>
        <button type="button" className="primary push-right no-print" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </div>
      <h2 id="cross-dock-title">{t('receipt.crossDock')}</h2>
      <p className="muted small">{t('receipt.crossDockHint')}</p>
      {r.crossDock.length === 0 ? (
        <EmptyState>{t('receipt.noCrossDock')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="cross-dock-title" data-testid="cross-dock">
            <thead>
              <tr>
                <th scope="col">{t('receipt.col.order')}</th>
                <th scope="col">{t('receipt.col.channel')}</th>
                <th scope="col">{t('receipt.col.customer')}</th>
                <th scope="col">{t('po.col.sku')}</th>
                <th scope="col" className="num">{t('po.col.qty')}</th>
              </tr>
            </thead>
            <tbody>
              {r.crossDock.map((c) => (
                <tr key={`${c.partId}-${c.sku}`} data-order={c.externalId}>
                  <td className="nowrap">
                    <Link to={`/orders/${encodeURIComponent(c.orderId)}`}>{c.externalId}</Link>
                  </td>
                  <td>{c.channel}</td>
                  <td>
                    <span title={c.customer.id}>{c.customer.email}</span>
                  </td>
                  <td>{c.sku}</td>
                  <td className="num">{c.qty}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="put-away-title">{t('receipt.putAway')}</h2>
      {r.putAway.length === 0 ? (
        <EmptyState>{t('receipt.nothingToPutAway')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="put-away-title" data-testid="put-away">
            <thead>
              <tr>
                <th scope="col">{t('po.col.sku')}</th>
                <th scope="col" className="num">{t('po.col.qty')}</th>
              </tr>
            </thead>
            <tbody>
              {r.putAway.map((p) => (
                <tr key={p.sku}>
                  <td>{p.sku}</td>
                  <td className="num">{p.qty}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="receipt-lines-title">{t('receipt.counted')}</h2>
      <TableWrap>
        <table aria-labelledby="receipt-lines-title">
          <thead>
            <tr>
              <th scope="col">{t('po.col.sku')}</th>
              <th scope="col" className="num">{t('receipt.good')}</th>
              <th scope="col" className="num">{t('receipt.damaged')}</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.sku}>
                <td>{l.sku}</td>
                <td className="num">{l.good}</td>
                <td className="num">{l.damaged}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
