import { useState } from 'react';
import type { Location } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { signed } from './signed';
import { useMovements } from './stock-queries';
import { TableWrap } from '../../ui/table-wrap';

/** SPEC §2: every change of on hand and reserved, with why; the ledger explains every number. */
export function MovementLedger({ sku, locations }: { sku: string; locations: readonly Location[] }) {
  const { t, formatDateTime } = useI18n();
  const [location, setLocation] = useState('');
  const movements = useMovements(sku, location);
  const rows = movements.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('stock.ledger')}</h2>
      <p className="muted small">{t('stock.ledgerOrder')}</p>
      <div className="toolbar">
        <div>
          <label htmlFor="ledger-location">{t('po.col.location')}</label>
          <select id="ledger-location" value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">{t('stock.allLocations')}</option>
            {locations.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </div>
      </div>
      {movements.isPending ? (
        <Loading />
      ) : movements.isError ? (
        <ErrorMessage error={movements.error} onRetry={() => void movements.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('stock.noMovements')}</EmptyState>
      ) : (
        <>
          <TableWrap>
            <table aria-labelledby="ledger-title" data-testid="ledger">
              <thead>
                <tr>
                  <th scope="col">{t('stock.when')}</th>
                  <th scope="col">{t('po.col.location')}</th>
                  <th scope="col">{t('stock.kind')}</th>
                  <th scope="col" className="num">{t('stock.onHandDelta')}</th>
                  <th scope="col" className="num">{t('stock.reservedDelta')}</th>
                  <th scope="col">{t('receipt.col.order')}</th>
                  <th scope="col">{t('stock.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.id} data-kind={m.kind}>
                    <td className="nowrap">{formatDateTime(m.createdAt)}</td>
                    <td>{m.location}</td>
                    <td>{t(`stock.kind.${m.kind}`)}</td>
                    <td className="num">{signed(m.onHandDelta)}</td>
                    <td className="num">{signed(m.reservedDelta)}</td>
                    <td>{m.orderId ? <Link to={`/orders/${encodeURIComponent(m.orderId)}`}>{m.orderNumber ?? t('stock.viewOrder')}</Link> : t('common.none')}</td>
                    <td>{m.reason ?? t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {movements.hasNextPage && (
            <p className="more">
              <button type="button" onClick={() => void movements.fetchNextPage()} disabled={movements.isFetchingNextPage}>
                {movements.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
