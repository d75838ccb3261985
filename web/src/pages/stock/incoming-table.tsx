import type { IncomingLine } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { TableWrap } from '../../ui/table-wrap';

/** SPEC §2 incoming per open purchase-order line, earliest effective arrival first, with what is promised against it (R3). */
export function IncomingTable({ lines }: { lines: readonly IncomingLine[] }) {
  const { t, formatDate } = useI18n();
  return (
    <section aria-labelledby="incoming-title">
      <h2 id="incoming-title">{t('stock.incomingTitle')}</h2>
      {lines.length === 0 ? (
        <EmptyState>{t('stock.noIncoming')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="incoming-title" data-testid="incoming">
            <thead>
              <tr>
                <th scope="col">{t('suppliers.col.purchaseOrder')}</th>
                <th scope="col">{t('po.col.supplier')}</th>
                <th scope="col">{t('po.col.location')}</th>
                <th scope="col">{t('po.col.expected')}</th>
                <th scope="col" title={t('po.arrivalHint')}>{t('po.col.arrival')}</th>
                <th scope="col" className="num">{t('stock.incoming')}</th>
                <th scope="col" className="num">{t('stock.promised')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.purchaseOrder.id} data-po={l.purchaseOrder.number}>
                  <td className="nowrap">
                    <Link to={`/purchase-orders/${encodeURIComponent(l.purchaseOrder.id)}`}>{l.purchaseOrder.number}</Link>
                  </td>
                  <td>{l.supplier.name}</td>
                  <td>{l.location}</td>
                  <td className="nowrap">{formatDate(l.expectedDate)}</td>
                  <td className="nowrap">{formatDate(l.arrivalDate)}</td>
                  <td className="num">{l.incoming}</td>
                  <td className="num">{l.promised}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
