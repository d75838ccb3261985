import { useQuery } from '@tanstack/react-query';
import type { KpiReport } from '../../api/types';
import { useSession } from '../../session/session';

/** R18 per channel for a range; the API checks the range and says what is wrong with it. */
export function useKpis(from: string, to: string) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['kpis', from, to],
    queryFn: () => client.get<KpiReport>(`/v1/kpis?${new URLSearchParams({ from, to, by: 'channel', limit: '200' })}`),
    placeholderData: (previous) => previous,
  });
}
