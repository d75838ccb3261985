import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Page } from '../../api/types';
import { useSession } from '../../session/session';

const LIVE_MS = 30_000;

export const SUGGESTION_STATUSES = ['open', 'accepted', 'dismissed', 'withdrawn'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** GET /v1/price-suggestions (src/services/price-suggestions.service.ts PriceSuggestionView, R13). */
export interface PriceSuggestion {
  id: string;
  channel: string;
  sku: string;
  rule: 'low_stock_arrival_soon' | 'selling_from_incoming';
  percent: number;
  price: number;
  suggestedPrice: number;
  figures: { physical?: number | null; offered?: number | null; dailySales?: number | null; daysOfSales?: number | null; daysToArrival?: number | null };
  status: SuggestionStatus;
  decidedAt: string | null;
}

export function usePriceSuggestions(status: SuggestionStatus) {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['price-suggestions', status],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ status, limit: '50' });
      if (pageParam) params.set('cursor', pageParam);
      return client.get<Page<PriceSuggestion>>(`/v1/price-suggestions?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: LIVE_MS,
    placeholderData: (previous) => previous,
  });
}

/** POST /v1/price-suggestions/{id}/accept or /dismiss: the decision is recorded; no price changes (R13). */
export function useDecide() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'accept' | 'dismiss' }) => client.send<PriceSuggestion>('POST', `/v1/price-suggestions/${encodeURIComponent(id)}/${decision}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['price-suggestions'] }),
  });
}
