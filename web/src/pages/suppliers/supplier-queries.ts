import { useQuery } from '@tanstack/react-query';
import type { Supplier } from '../../api/types';
import { useSession } from '../../session/session';

export { useSuppliers } from '../purchase-orders/purchasing-queries';

/** R8: one supplier with its figures and every first receipt's delay. */
export function useSupplier(id: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['suppliers', id], queryFn: () => client.get<Supplier>(`/v1/suppliers/${encodeURIComponent(id)}`) });
}
