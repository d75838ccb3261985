import { useEffect, useState } from 'react';
import { useChannels } from '../../api/channel-queries';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { OfferBreakdownPanel } from './offer-breakdown';
import { OfferGrid, type OpenCell } from './offer-grid';
import { useOfferGrid, useRunningRecompute } from './offer-queries';

const SEARCH_DELAY_MS = 250;

/** The search and the open breakdown live in the URL (?q=&channel=&sku=): a breakdown can be linked to and survives a reload. */
function show(q: string, open: OpenCell | null) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (open) {
    params.set('channel', open.channel);
    params.set('sku', open.sku);
  }
  const query = params.toString();
  navigate(`/offered-stock${query ? `?${query}` : ''}`, { replace: true });
}

export function OfferedStockPage({ search }: { search: URLSearchParams }) {
  const { t } = useI18n();
  const q = search.get('q') ?? '';
  const channel = search.get('channel');
  const sku = search.get('sku');
  const open = channel && sku ? { channel, sku } : null;
  const [typed, setTyped] = useState(q);
  const grid = useOfferGrid(q);
  const channels = useChannels();
  const recompute = useRunningRecompute();

  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => show(typed.trim(), channel && sku ? { channel, sku } : null), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, q, channel, sku]);

  const rows = grid.data?.pages.flatMap((p) => p.items) ?? [];
  const channelList = channels.data?.items ?? [];
  const error = grid.error ?? channels.error;
  return (
    <>
      <h1 id="offered-title">{t('offers.title')}</h1>
      <p className="muted page-intro" id="offered-hint">
        {t('offers.intro')}
      </p>
      <div className="toolbar">
        <div className="search">
          <label htmlFor="offer-search">{t('offers.search')}</label>
          <input id="offer-search" type="search" value={typed} placeholder={t('offers.searchHint')} onChange={(e) => setTyped(e.target.value)} />
        </div>
      </div>
      {recompute && (
        <p className="notice" role="status" data-testid="recompute">
          {t('offers.recomputing', { done: recompute.done, total: recompute.total })}
        </p>
      )}
      <section aria-busy={grid.isFetching}>
        {grid.isPending || channels.isPending ? (
          <Loading />
        ) : error ? (
          <ErrorMessage error={error} onRetry={() => void (grid.isError ? grid.refetch() : channels.refetch())} />
        ) : rows.length === 0 ? (
          <EmptyState>{q ? t('offers.emptySearch', { q }) : t('offers.empty')}</EmptyState>
        ) : channelList.length === 0 ? (
          <EmptyState>{t('offers.noChannels')}</EmptyState>
        ) : (
          <>
            <OfferGrid rows={rows} channels={channelList} onOpen={(cell) => show(q, cell)} />
            {grid.hasNextPage && (
              <p className="more">
                <button type="button" onClick={() => void grid.fetchNextPage()} disabled={grid.isFetchingNextPage}>
                  {grid.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
                </button>
              </p>
            )}
          </>
        )}
      </section>
      {open && <OfferBreakdownPanel channel={open.channel} sku={open.sku} channelName={channelList.find((c) => c.code === open.channel)?.name ?? open.channel} onClose={() => show(q, null)} />}
    </>
  );
}
