import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelSettings, ChannelWindow, Page, Season, Settings, Webhook } from '../../api/types';
import { useSession } from '../../session/session';

export function useSettings() {
  const { client } = useSession();
  return useQuery({ queryKey: ['settings'], queryFn: () => client.get<Settings>('/v1/settings') });
}

/**
 * A change of settings, a channel or a season queues a full recompute of the offers and may
 * re-plan promises (R7): the offered stock and orders are read again after it.
 */
function useSettingsChange<V, R>(change: (vars: V) => Promise<R>, keys: readonly string[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      await Promise.all([...keys, 'offered-stock', 'orders'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
    },
  });
}

export type SettingsPatch = Partial<
  Pick<Settings, 'backordersEnabled' | 'acceptanceRatio' | 'defaultSafetyBuffer' | 'allocationPolicy' | 'preorderDays' | 'erraticRatioFactor' | 'cappedSalesDays' | 'backorderAgingDays' | 'emailFrom' | 'emailReplyTo'>
> & { demandSpikes?: Partial<Settings['demandSpikes']> };

export function usePatchSettings() {
  const { client } = useSession();
  return useSettingsChange((patch: SettingsPatch) => client.send<Settings>('PATCH', '/v1/settings', patch), ['settings']);
}

export interface ChannelPatch {
  acceptsBackorders?: boolean;
  window?: ChannelWindow;
  share?: number | null;
  customerEmails?: boolean;
}

export function usePatchChannel(code: string) {
  const { client } = useSession();
  return useSettingsChange((patch: ChannelPatch) => client.send<ChannelSettings>('PATCH', `/v1/channels/${encodeURIComponent(code)}`, patch), ['channels']);
}

export type SeasonInput = Omit<Season, 'id' | 'acceptanceRatio' | 'windowMultiplier'> & { acceptanceRatio?: number; windowMultiplier?: number };

export function useCreateSeason() {
  const { client } = useSession();
  return useSettingsChange((season: SeasonInput) => client.send<Season>('POST', '/v1/settings/seasons', season), ['settings']);
}

export function useDeleteSeason() {
  const { client } = useSession();
  return useSettingsChange((id: string) => client.send<void>('DELETE', `/v1/settings/seasons/${encodeURIComponent(id)}`), ['settings']);
}

export function useWebhooks() {
  const { client } = useSession();
  return useQuery({ queryKey: ['webhooks'], queryFn: () => client.get<Page<Webhook>>('/v1/webhooks') });
}

function useWebhookChange<V, R>(change: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }) });
}

export function useCreateWebhook() {
  const { client } = useSession();
  return useWebhookChange((input: { url: string; eventTypes: string[] }) => client.send<Webhook & { secret: string }>('POST', '/v1/webhooks', input));
}

export function useSetWebhookStatus() {
  const { client } = useSession();
  return useWebhookChange(({ id, status }: { id: string; status: Webhook['status'] }) => client.send<Webhook>('PATCH', `/v1/webhooks/${encodeURIComponent(id)}`, { status }));
}
