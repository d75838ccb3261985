import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Alert, Channel, CustomerMessage, EventItem, Order, OrderList, Page, PartStatus } from '../../api/types';
import { useSession } from '../../session/session';

/** Counts change as orders arrive and stock moves: the list asks again every 15 s while open. */
const LIVE_MS = 15_000;

export interface OrderFilter {
  status: PartStatus;
  channel: string;
  q: string;
}

export function useOrders(filter: OrderFilter) {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['orders', 'list', filter],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ status: filter.status, limit: '50' });
      if (filter.channel) params.set('channel', filter.channel);
      if (filter.q) params.set('q', filter.q);
      if (pageParam) params.set('cursor', pageParam);
      return client.get<OrderList>(`/v1/orders?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: LIVE_MS,
    placeholderData: (previous) => previous,
  });
}

export function useOrder(id: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['orders', 'one', id], queryFn: () => client.get<Order>(`/v1/orders/${encodeURIComponent(id)}`) });
}

export function useOrderEvents(id: string) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['orders', 'events', id],
    queryFn: () => client.get<Page<EventItem>>(`/v1/events?subject=${encodeURIComponent(id)}&limit=200`),
  });
}

export function useOrderMessages(id: string) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['orders', 'messages', id],
    queryFn: () => client.get<Page<CustomerMessage>>(`/v1/orders/${encodeURIComponent(id)}/messages`),
  });
}

export function useChannels() {
  const { client } = useSession();
  return useQuery({ queryKey: ['channels'], queryFn: () => client.get<Page<Channel>>('/v1/channels'), staleTime: 60_000 });
}

/** R10: the parts whose promise an unresolved promise_at_risk alert names. */
export function usePartsAtRisk(): ReadonlySet<string> {
  const { client } = useSession();
  const results = useQueries({
    queries: (['open', 'acknowledged'] as const).map((status) => ({
      queryKey: ['alerts', 'promise_at_risk', status],
      queryFn: () => client.get<Page<Alert<{ parts?: { partId: string }[] }>>>(`/v1/alerts?type=promise_at_risk&status=${status}&limit=200`),
      refetchInterval: LIVE_MS,
    })),
  });
  const ids = new Set<string>();
  for (const r of results) for (const alert of r.data?.items ?? []) for (const p of alert.details.parts ?? []) ids.add(p.partId);
  return ids;
}

/** After a change every order list, count and this order's timeline may differ: all are read again. */
function useOrderChange<V>(change: (vars: V) => Promise<Order>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (order) => queryClient.setQueryData(['orders', 'one', order.id], order),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['orders'] }),
  });
}

export function useCancelPart(orderId: string) {
  const { client } = useSession();
  return useOrderChange((partId: string) =>
    client.send<Order>('POST', `/v1/orders/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(partId)}/cancel`),
  );
}

export function useSetPriority(orderId: string) {
  const { client } = useSession();
  return useOrderChange((priority: number) => client.send<Order>('PATCH', `/v1/orders/${encodeURIComponent(orderId)}`, { priority }));
}
