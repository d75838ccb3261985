import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '../../api/types';
import { useSession } from '../../session/session';

/** Alerts are raised by orders, receipts and the scheduled checks: the page asks again every 30 s. */
const LIVE_MS = 30_000;
/** The nav badge counts at most one page of open alerts: one request, then "100+". */
export const BADGE_LIMIT = 100;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_TYPES = ['demand_spike', 'po_overdue', 'supplier_grade_dropped', 'backorder_aging', 'promise_at_risk', 'oversold', 'message_unknown'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** GET /v1/alerts and /v1/alerts/{id} (src/services/alerts.service.ts AlertView, R10). */
export interface AlertItem {
  id: string;
  type: AlertType;
  severity: 'info' | 'warning' | 'critical';
  subjectType: string;
  subjectId: string;
  message: string;
  details: Record<string, unknown> | null;
  status: AlertStatus;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export function useAlerts(status: AlertStatus, type: AlertType | '') {
  const { client } = useSession();
  return useInfiniteQuery({
    queryKey: ['alerts', 'list', status, type],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ status, limit: '50' });
      if (type) params.set('type', type);
      if (pageParam) params.set('cursor', pageParam);
      return client.get<Page<AlertItem>>(`/v1/alerts?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: LIVE_MS,
    placeholderData: (previous) => previous,
  });
}

export function useAlert(id: string) {
  const { client } = useSession();
  return useQuery({ queryKey: ['alerts', 'one', id], queryFn: () => client.get<AlertItem>(`/v1/alerts/${encodeURIComponent(id)}`) });
}

export function useOpenAlertCount() {
  const { client } = useSession();
  return useQuery({
    queryKey: ['alerts', 'open-count'],
    queryFn: async () => {
      const page = await client.get<Page<AlertItem>>(`/v1/alerts?status=open&limit=${BADGE_LIMIT}`);
      return { count: page.items.length, more: page.nextCursor !== null };
    },
    refetchInterval: LIVE_MS,
  });
}

/** POST /v1/alerts/{id}/ack; every alert list and count is read again after it. */
export function useAcknowledge() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.send<AlertItem>('POST', `/v1/alerts/${encodeURIComponent(id)}/ack`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['alerts'] }),
  });
}

/** R11: POST /v1/messages/{id}/resend, for an e-mail the SMTP server's log does not have. */
export function useResendMessage() {
  const { client } = useSession();
  return useMutation({ mutationFn: (id: string) => client.send<{ id: string; status: string }>('POST', `/v1/messages/${encodeURIComponent(id)}/resend`) });
}
