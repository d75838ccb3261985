import type { MessageKey } from '../../i18n/en';
import { isMessageKey, useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { OrderMessages } from './order-messages';
import { OrderTimeline } from './order-timeline';
import { PartCard } from './part-card';
import { useOrder, usePartsAtRisk, useSetPriority } from './order-queries';

/** One order: who, where from, its parts with each line's source and promise, what happened, what the customer was told. */
export function OrderDetailPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const order = useOrder(id);
  const atRisk = usePartsAtRisk();
  const priority = useSetPriority(id);

  if (order.isPending) return <Loading />;
  if (order.isError) return (<><p><Link to="/orders">← {t('order.back')}</Link></p><ErrorMessage error={order.error} onRetry={() => void order.refetch()} /></>);
  const o = order.data;
  return (
    <>
      <p>
        <Link to={`/orders?status=${o.status}`}>← {t('order.back')}</Link>
      </p>
      <div className="detail-head">
        <h1>{t('order.title', { number: o.externalId })}</h1>
        <span className={`badge status-${o.status}`}>{t(`status.${o.status}`)}</span>
        <span className="muted">{t('order.placed', { date: formatDateTime(o.placedAt), channel: o.channel })}</span>
      </div>
      <dl className="facts card">
        <div>
          <dt>{t('order.customer')}</dt>
          <dd>
            {o.customer.email}
            <br />
            <span className="muted small">
              {o.customer.id} · {o.customer.country} · {isMessageKey(`tier.${o.customer.tier}`) ? t(`tier.${o.customer.tier}` as MessageKey) : o.customer.tier}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('order.shipping')}</dt>
          <dd>{t(`order.shipping.${o.shippingPreference}`)}</dd>
        </div>
        <div>
          <dt>{t('order.priority')}</dt>
          <dd>
            <span data-testid="order-priority">{o.priority}</span>
            {canWrite && (
              <button type="button" className="link" title={t('order.priorityHint')} disabled={priority.isPending} onClick={() => priority.mutate(o.priority + 1)}>
                {t('order.raisePriority')}
              </button>
            )}
          </dd>
        </div>
      </dl>
      {priority.error && <ErrorMessage error={priority.error} />}
      <h2>{t('order.parts')}</h2>
      <div className="parts">
        {o.parts.map((part, i) => (
          <PartCard key={part.id} orderId={o.id} part={part} n={i + 1} atRisk={atRisk.has(part.id)} />
        ))}
      </div>
      <div className="columns">
        <section>
          <h2>{t('order.timeline')}</h2>
          <OrderTimeline orderId={o.id} />
        </section>
        <section>
          <h2>{t('order.messages')}</h2>
          <OrderMessages orderId={o.id} />
        </section>
      </div>
    </>
  );
}
