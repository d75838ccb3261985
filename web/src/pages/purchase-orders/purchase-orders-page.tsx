import type { PurchaseOrder, Supplier } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { GradeBadge } from '../suppliers/grade-badge';
import { LatenessBadge, PoStatusBadge } from './purchase-order-badges';
import { PO_STATUSES, usePurchaseOrders, useSuppliers, type PurchaseOrderFilter, type PurchaseOrderStatus } from './purchasing-queries';
import { TableWrap } from '../../ui/table-wrap';

const units = (po: PurchaseOrder, field: 'ordered' | 'received') => po.lines.reduce((n, l) => n + l[field], 0);

/** Status and supplier live in the URL (?status=&supplier=), so a filtered list can be shared. */
function filterOf(search: URLSearchParams): PurchaseOrderFilter {
  const status = search.get('status') ?? '';
  return { status: (PO_STATUSES as readonly string[]).includes(status) ? (status as PurchaseOrderStatus) : '', supplierId: search.get('supplier') ?? '' };
}

function show(filter: PurchaseOrderFilter) {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.supplierId) params.set('supplier', filter.supplierId);
  const query = params.toString();
  navigate(query ? `/purchase-orders?${query}` : '/purchase-orders', { replace: true });
}

/** Purchase orders, newest first, with what came in of them and how reliable their supplier is (R5, R8). */
export function PurchaseOrdersPage({ search }: { search: URLSearchParams }) {
  const { t, formatDate } = useI18n();
  const { canWrite } = useSession();
  const filter = filterOf(search);
  const orders = usePurchaseOrders(filter);
  const suppliers = useSuppliers();
  const bySupplier = new Map<string, Supplier>((suppliers.data?.items ?? []).map((s) => [s.id, s]));
  const rows = orders.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <div className="page-head">
        <h1 id="po-title">{t('po.title')}</h1>
        {canWrite && (
          <Link className="button primary" to="/purchase-orders/new">
            {t('po.new')}
          </Link>
        )}
      </div>
      <div className="toolbar">
        <div>
          <label htmlFor="po-status">{t('po.col.status')}</label>
          <select id="po-status" value={filter.status} onChange={(e) => show({ ...filter, status: e.target.value as PurchaseOrderStatus | '' })}>
            <option value="">{t('po.allStatuses')}</option>
            {PO_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`po.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="po-supplier-filter">{t('po.col.supplier')}</label>
          <select id="po-supplier-filter" value={filter.supplierId} onChange={(e) => show({ ...filter, supplierId: e.target.value })}>
            <option value="">{t('po.allSuppliers')}</option>
            {suppliers.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section aria-busy={orders.isFetching}>
        {orders.isPending ? (
          <Loading />
        ) : orders.isError ? (
          <ErrorMessage error={orders.error} onRetry={() => void orders.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>{filter.status || filter.supplierId ? t('po.emptyFilter') : t('po.empty')}</EmptyState>
        ) : (
          <>
            <TableWrap>
              <table aria-labelledby="po-title">
                <thead>
                  <tr>
                    <th scope="col">{t('po.col.number')}</th>
                    <th scope="col">{t('po.col.supplier')}</th>
                    <th scope="col" className="secondary-col">{t('po.col.location')}</th>
                    <th scope="col">{t('po.col.expected')}</th>
                    <th scope="col" title={t('po.arrivalHint')}>{t('po.col.arrival')}</th>
                    <th scope="col">{t('po.col.late')}</th>
                    <th scope="col">{t('po.col.status')}</th>
                    <th scope="col" className="num">{t('po.col.received')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((po) => {
                    const supplier = bySupplier.get(po.supplier.id);
                    return (
                      <tr key={po.id} data-po={po.number}>
                        <td className="nowrap">
                          <Link to={`/purchase-orders/${encodeURIComponent(po.id)}`}>{po.number}</Link>
                        </td>
                        <td>
                          {po.supplier.name} {supplier && <GradeBadge grade={supplier.reliability.grade} />}
                        </td>
                        <td className="secondary-col">{po.location}</td>
                        <td className="nowrap">{formatDate(po.expectedDate)}</td>
                        <td className="nowrap" title={t('po.arrivalHint')}>{formatDate(po.arrivalDate)}</td>
                        <td><LatenessBadge po={po} /></td>
                        <td><PoStatusBadge status={po.status} /></td>
                        <td className="num nowrap">{t('po.unitsOf', { received: units(po, 'received'), ordered: units(po, 'ordered') })}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
            {orders.hasNextPage && (
              <p className="more">
                <button type="button" onClick={() => void orders.fetchNextPage()} disabled={orders.isFetchingNextPage}>
                  {orders.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
                </button>
              </p>
            )}
          </>
        )}
      </section>
    </>
  );
}
