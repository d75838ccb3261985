import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IncomingLine, Movement, Page, ProductStock } from '../../api/types';
import { useSession } from '../../session/session';

const stockPath = (sku: string) => `/v1/stock/${encodeURIComponent(sku)}`;

export function useStockList() {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['stock', 'list'],
    initialPageParam: '',
    queryFn: ({ pageParam }) => client.get<Page<ProductStock>>(`/v1/stock?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useProductStock(sku: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['stock', 'one', sku], queryFn: () => client.get<ProductStock>(stockPath(sku)) });
}

/** SPEC §2 incoming and promised, per open purchase-order line of the SKU. */
export function useIncoming(sku: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['stock', 'incoming', sku], queryFn: () => client.get<Page<IncomingLine>>(`${stockPath(sku)}/incoming`) });
}

/** The ledger, oldest first as the API pages it; `location` narrows it to one place. */
export function useMovements(sku: string, location: string) {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['stock', 'movements', sku, location],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50', order: 'newest' });
      if (location) params.set('location', location);
      if (pageParam) params.set('cursor', pageParam);
      return client.get<Page<Movement>>(`${stockPath(sku)}/movements?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface Adjustment {
  sku: string;
  location: string;
  delta: number;
  kind: 'adjustment' | 'damage';
  reason?: string;
  idempotencyKey: string;
}

/** Added units go to waiting backorders at once (R19's rule), so orders are read again too. */
export function useAdjustStock() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ idempotencyKey, ...body }: Adjustment) => client.send('POST', '/v1/stock/adjustments', body, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: () => {
      for (const key of ['stock', 'orders']) void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
}
