import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Location, Page, Product, PurchaseOrder, Receipt, Supplier } from '../../api/types';
import { useSession } from '../../session/session';

export type PurchaseOrderStatus = PurchaseOrder['status'];
export const PO_STATUSES: readonly PurchaseOrderStatus[] = ['draft', 'open', 'partially_received', 'received', 'cancelled'];

const path = (id: string) => `/v1/purchase-orders/${encodeURIComponent(id)}`;

export interface PurchaseOrderFilter {
  status: PurchaseOrderStatus | '';
  supplierId: string;
}

export function usePurchaseOrders(filter: PurchaseOrderFilter) {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['purchase-orders', 'list', filter],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filter.status) params.set('status', filter.status);
      if (filter.supplierId) params.set('supplierId', filter.supplierId);
      if (pageParam) params.set('cursor', pageParam);
      return client.get<Page<PurchaseOrder>>(`/v1/purchase-orders?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export function usePurchaseOrder(id: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['purchase-orders', 'one', id], queryFn: () => client.get<PurchaseOrder>(path(id)) });
}

export function useReceipts(poId: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['purchase-orders', 'receipts', poId], queryFn: () => client.get<Page<Receipt>>(`${path(poId)}/receipts`) });
}

export function useReceipt(poId: string, receiptId: string) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['purchase-orders', 'receipt', receiptId],
    queryFn: () => client.get<Receipt>(`${path(poId)}/receipts/${encodeURIComponent(receiptId)}`),
  });
}

/** R8: suppliers with their reliability; the PO list shows each one's grade. */
export function useSuppliers() {
  const { client } = useSession();
  return useQuery({ queryKey: ['suppliers'], queryFn: () => client.get<Page<Supplier>>('/v1/suppliers'), staleTime: 30_000 });
}

export function useLocations() {
  const { client } = useSession();
  return useQuery({ queryKey: ['locations'], queryFn: () => client.get<Page<Location>>('/v1/locations'), staleTime: 60_000 });
}

/** The first 200 SKUs, offered as suggestions while typing a line; any SKU may be typed. */
export function useProductSuggestions() {
  const { client } = useSession();
  return useQuery({ queryKey: ['products', 'suggestions'], queryFn: () => client.get<Page<Product>>('/v1/products?limit=200'), staleTime: 60_000 });
}

export interface NewPurchaseOrder {
  number: string;
  supplierId: string;
  location: string;
  expectedDate: string;
  lines: { sku: string; qty: number }[];
}

export function useCreatePurchaseOrder() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewPurchaseOrder) => client.send<PurchaseOrder>('POST', '/v1/purchase-orders', body),
    onSuccess: (po) => {
      queryClient.setQueryData(['purchase-orders', 'one', po.id], po);
      // R3: new incoming stock, and waiting orders promised against it.
      for (const key of [['purchase-orders', 'list'], ['stock'], ['orders']]) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

export interface ReceiptInput {
  lines: { sku: string; good: number; damaged: number }[];
  /** R5: accept more units than are still to come, after the user confirmed an OVER_RECEIPT. */
  force: boolean;
  idempotencyKey: string;
}

/** R5: a receipt changes stock, orders, the PO and (R8) the supplier: all of them are read again. */
export function useReceive(poId: string) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ lines, force, idempotencyKey }: ReceiptInput) =>
      client.send<Receipt>('POST', `${path(poId)}/receipts`, force ? { lines, force } : { lines }, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: (receipt) => {
      queryClient.setQueryData(['purchase-orders', 'receipt', receipt.id], receipt);
      for (const key of ['purchase-orders', 'orders', 'stock', 'suppliers']) void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
}

export interface PurchaseOrderChange {
  expectedDate?: string;
  status?: 'open';
  lines?: { sku: string; qty: number }[];
}

/** A changed date or quantity moves promises (R3) and may put some at risk (R10): orders and alerts are read again. */
function useRefreshAfterPurchaseOrderChange() {
  const queryClient = useQueryClient();
  return (po: PurchaseOrder) => {
    queryClient.setQueryData(['purchase-orders', 'one', po.id], po);
    for (const key of [['purchase-orders', 'list'], ['stock'], ['orders'], ['offered-stock'], ['alerts'], ['suppliers']]) void queryClient.invalidateQueries({ queryKey: key });
  };
}

/** PATCH: move the expected date, change ordered quantities, or submit a draft. */
export function useUpdatePurchaseOrder(id: string) {
  const { client } = useSession();
  const refresh = useRefreshAfterPurchaseOrderChange();
  return useMutation({ mutationFn: (change: PurchaseOrderChange) => client.send<PurchaseOrder>('PATCH', path(id), change), onSuccess: refresh });
}

/** Cancels what is still to come on these lines (all when `skus` is null); received units stay. */
export function useCancelPurchaseOrder(id: string) {
  const { client } = useSession();
  const refresh = useRefreshAfterPurchaseOrderChange();
  return useMutation({ mutationFn: (skus: string[] | null) => client.send<PurchaseOrder>('POST', `${path(id)}/cancel`, skus ? { skus } : {}), onSuccess: refresh });
}

export function useCreateSupplier() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; leadTimeDays?: number }) => client.send<Supplier>('POST', '/v1/suppliers', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['suppliers'] }),
  });
}
