import { useEffect, useRef, useState } from 'react';
import { PART_STATUSES, type PartStatus } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useChannels, useOrders, usePartsAtRisk, type OrderFilter } from './order-queries';
import { toRow } from './order-rows';
import { OrdersTable } from './orders-table';
import { StatusTabs } from './status-tabs';

const SEARCH_DELAY_MS = 250;

/** The tab, channel and search live in the URL (?status=&channel=&q=), so a view can be shared and survives a reload. */
function filterOf(search: URLSearchParams): OrderFilter {
  const status = search.get('status') as PartStatus | null;
  return { status: status && PART_STATUSES.includes(status) ? status : 'open', channel: search.get('channel') ?? '', q: search.get('q') ?? '' };
}

function show(filter: OrderFilter) {
  const params = new URLSearchParams({ status: filter.status });
  if (filter.channel) params.set('channel', filter.channel);
  if (filter.q) params.set('q', filter.q);
  navigate(`/orders?${params}`, { replace: true });
}

export function OrdersPage({ search }: { search: URLSearchParams }) {
  const { t } = useI18n();
  const filter = filterOf(search);
  const [typed, setTyped] = useState(filter.q);
  const searchBox = useRef<HTMLInputElement>(null);
  const orders = useOrders(filter);
  const channels = useChannels();
  const atRisk = usePartsAtRisk();

  // The search runs once typing pauses, not on every key.
  useEffect(() => {
    if (typed.trim() === filter.q) return;
    const timer = setTimeout(() => show({ ...filter, q: typed.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, filter.q, filter.status, filter.channel]);
  // "/" jumps to the search box, as in most operations tools.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || (e.target as HTMLElement).closest('input, select, textarea')) return;
      e.preventDefault();
      searchBox.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const pages = orders.data?.pages ?? [];
  const now = Date.now();
  const rows = pages.flatMap((p) => p.items).map((o) => toRow(o, filter.status, now));
  const statusName = t(`status.${filter.status}`);
  return (
    <>
      <h1 id="orders-title">{t('orders.title')}</h1>
      <div className="toolbar">
        <div className="search">
          <label htmlFor="order-search">{t('orders.search')}</label>
          <input id="order-search" ref={searchBox} type="search" value={typed} placeholder={t('orders.searchHint')} aria-keyshortcuts="/" onChange={(e) => setTyped(e.target.value)} />
        </div>
        <div>
          <label htmlFor="order-channel">{t('orders.channel')}</label>
          <select id="order-channel" value={filter.channel} onChange={(e) => show({ ...filter, channel: e.target.value })}>
            <option value="">{t('orders.allChannels')}</option>
            {channels.data?.items.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <StatusTabs value={filter.status} counts={pages[0]?.counts} onChange={(status) => show({ ...filter, status })} panelId="orders-panel" />
      <section id="orders-panel" role="tabpanel" aria-labelledby={`tab-${filter.status}`} aria-busy={orders.isFetching}>
        {orders.isPending ? (
          <Loading />
        ) : orders.isError ? (
          <ErrorMessage error={orders.error} onRetry={() => void orders.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>{filter.q ? t('orders.emptySearch', { status: statusName, q: filter.q }) : t('orders.empty', { status: statusName })}</EmptyState>
        ) : (
          <>
            <OrdersTable status={filter.status} rows={rows} atRisk={atRisk} labelledBy={`tab-${filter.status}`} />
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
