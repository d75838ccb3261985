import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { OfferBreakdown, OfferGridRow, OfferRecompute, Page } from '../../api/types';
import { useSession } from '../../session/session';

/** Offers move with every order and receipt: the grid asks again every 15 s while open. */
const LIVE_MS = 15_000;
/** While a full recompute runs (after a settings change), its progress is asked for every second. */
const RECOMPUTE_POLL_MS = 1_000;

export function useOfferGrid(q: string) {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['offered-stock', 'grid', q],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return client.get<Page<OfferGridRow>>(`/v1/offered-stock/by-sku?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: LIVE_MS,
    placeholderData: (previous) => previous,
  });
}

export function useOfferBreakdown(channel: string, sku: string) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['offered-stock', 'breakdown', channel, sku],
    queryFn: () => client.get<OfferBreakdown & { computedAt: string }>(`/v1/offered-stock/${encodeURIComponent(channel)}/${encodeURIComponent(sku)}`),
  });
}

/**
 * The newest full recompute while it is queued or running, else null. When one finishes, the
 * grid is read again: a settings change reaches the stored offers only through it (R7).
 */
export function useRunningRecompute(): OfferRecompute | null {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const recomputes = useQuery({
    queryKey: ['offered-stock', 'recomputes'],
    queryFn: () => client.get<Page<OfferRecompute>>('/v1/offered-stock-recomputes'),
    refetchInterval: (query) => (isRunning(query.state.data?.items[0]) ? RECOMPUTE_POLL_MS : LIVE_MS),
  });
  const latest = recomputes.data?.items[0];
  const running = isRunning(latest);
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: ['offered-stock', 'grid'] });
    wasRunning.current = running;
  }, [running, queryClient]);
  return running ? latest! : null;
}

const isRunning = (r: OfferRecompute | undefined) => r !== undefined && (r.status === 'queued' || r.status === 'running');
