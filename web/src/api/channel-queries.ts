import { useQuery } from '@tanstack/react-query';
import type { ChannelSettings, Page } from './types';
import { useSession } from '../session/session';

/** Every channel with its R7 settings (GET /v1/channels), in code order: the grid's columns and the settings' cards. */
export function useChannels() {
  const { client } = useSession();
  return useQuery({ queryKey: ['channels'], queryFn: () => client.get<Page<ChannelSettings>>('/v1/channels'), staleTime: 60_000 });
}
