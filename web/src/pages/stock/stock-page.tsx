import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useStockList } from './stock-queries';
import { TableWrap } from '../../ui/table-wrap';

/** SPEC §2 per SKU, in SKU order: on hand, reserved and available, and where the units are. */
export function StockPage() {
  const { t } = useI18n();
  const stock = useStockList();
  const [sku, setSku] = useState('');
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (sku.trim()) navigate(`/stock/${encodeURIComponent(sku.trim())}`);
  };
  const rows = stock.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 id="stock-title">{t('stock.title')}</h1>
      <form className="toolbar" onSubmit={open} role="search">
        <div className="search">
          <label htmlFor="stock-sku">{t('stock.findSku')}</label>
          <input id="stock-sku" type="search" value={sku} onChange={(e) => setSku(e.target.value)} />
        </div>
        <button type="submit">{t('stock.open')}</button>
      </form>
      <p className="muted small">{t('stock.intro')}</p>
      {stock.isPending ? (
        <Loading />
      ) : stock.isError ? (
        <ErrorMessage error={stock.error} onRetry={() => void stock.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('stock.empty')}</EmptyState>
      ) : (
        <>
          <TableWrap>
            <table aria-labelledby="stock-title">
              <thead>
                <tr>
                  <th scope="col">{t('po.col.sku')}</th>
                  <th scope="col" className="num">{t('stock.onHand')}</th>
                  <th scope="col" className="num">{t('stock.reserved')}</th>
                  <th scope="col" className="num">{t('stock.available')}</th>
                  <th scope="col">{t('stock.byLocation')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.sku} data-sku={s.sku}>
                    <td className="nowrap">
                      <Link to={`/stock/${encodeURIComponent(s.sku)}`}>{s.sku}</Link>
                    </td>
                    <td className="num">{s.onHand}</td>
                    <td className="num">{s.reserved}</td>
                    <td className="num">{s.available}</td>
                    <td className="muted">{s.locations.map((l) => `${l.location}: ${l.onHand}`).join(' · ') || t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {stock.hasNextPage && (
            <p className="more">
              <button type="button" onClick={() => void stock.fetchNextPage()} disabled={stock.isFetchingNextPage}>
                {stock.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
