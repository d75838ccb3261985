import { useI18n } from '../../i18n/i18n';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { useOrderMessages } from './order-queries';

/** R11: every message made for this order, sent or only logged, with its text. */
export function OrderMessages({ orderId }: { orderId: string }) {
  const { t, formatDateTime } = useI18n();
  const messages = useOrderMessages(orderId);
  if (messages.isPending) return <Loading />;
  if (messages.isError) return <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />;
  if (messages.data.items.length === 0) return <EmptyState>{t('order.noMessages')}</EmptyState>;
  return (
    <div className="messages">
      {messages.data.items.map((m) => (
        <details key={m.id}>
          <summary>
            <strong>{m.subject}</strong> <span className="badge">{t(`message.status.${m.status}`)}</span>
            <br />
            <span className="muted small">
              {t('message.to', { to: m.recipient })} · {formatDateTime(m.sentAt ?? m.createdAt)}
            </span>
          </summary>
          <pre>{m.text}</pre>
        </details>
      ))}
    </div>
  );
}
