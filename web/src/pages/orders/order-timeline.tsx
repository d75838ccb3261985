import { isMessageKey, useI18n } from '../../i18n/i18n';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useOrderEvents } from './order-queries';

/** R12: the order's events from the outbox, oldest first, with the figures that matter for each. */
export function OrderTimeline({ orderId }: { orderId: string }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const events = useOrderEvents(orderId);
  if (events.isPending) return <Loading />;
  if (events.isError) return <ErrorMessage error={events.error} onRetry={() => void events.refetch()} />;
  if (events.data.items.length === 0) return <EmptyState>{t('order.noEvents')}</EmptyState>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.data.items.map((e) => {
        const key = `event.${e.type}`;
        const { priority, promisedDate } = e.payload as { priority?: number; promisedDate?: string };
        return (
          <li key={e.id} data-event={e.type}>
            <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
            {isMessageKey(key) ? t(key) : e.type}
            {typeof priority === 'number' && ` → ${priority}`}
            {typeof promisedDate === 'string' && ` → ${formatDate(promisedDate)}`}
          </li>
        );
      })}
    </ol>
  );
}
