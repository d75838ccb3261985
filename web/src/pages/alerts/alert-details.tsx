import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { ErrorMessage } from '../../ui/error-message';
import { useResendMessage, type AlertItem } from './alert-queries';

interface PartAtRisk {
  partId: string;
  orderId: string;
  externalId: string;
  sku: string;
  qty: number;
  promisedDate: string;
}

/** promise_at_risk: the parts whose promised date the purchase order can no longer make (`details.parts`). */
function PartsAtRisk({ parts, deliveryDate }: { parts: readonly PartAtRisk[]; deliveryDate: string | null }) {
  const { t, formatDate } = useI18n();
  return (
    <div className="alert-extra">
      {deliveryDate && <p className="small">{t('alerts.atRisk.delivery', { date: formatDate(deliveryDate) })}</p>}
      <ul className="small" data-testid="parts-at-risk">
        {parts.map((p) => (
          <li key={p.partId}>
            <Link to={`/orders/${encodeURIComponent(p.orderId)}`}>{t('alerts.subject.order', { order: p.externalId })}</Link>{' '}
            {t('alerts.atRisk.part', { qty: p.qty, sku: p.sku, date: formatDate(p.promisedDate) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** message_unknown (R11): what to do — look the Message-ID up in the SMTP server's log, resend only if it is not there. */
function MessageInDoubt({ messageId, details, open }: { messageId: string; details: Record<string, unknown> | null; open: boolean }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const resend = useResendMessage();
  const smtpId = typeof details?.messageId === 'string' ? details.messageId : null;
  return (
    <div className="alert-extra">
      {smtpId && (
        <p className="small">
          Message-ID <code className="message-id" data-testid="smtp-message-id">{smtpId}</code>
        </p>
      )}
      <p className="small">{t('alerts.unknown.howTo')}</p>
      {canWrite && open && (
        <p>
          <button type="button" onClick={() => resend.mutate(messageId)} disabled={resend.isPending || resend.isSuccess}>
            {resend.isPending ? t('alerts.unknown.resending') : t('alerts.unknown.resend')}
          </button>{' '}
          {resend.isSuccess && (
            <span role="status" className="small">
              {t('alerts.unknown.resent')}
            </span>
          )}
        </p>
      )}
      {resend.isError && <ErrorMessage error={resend.error} />}
    </div>
  );
}

/** What an alert of this type needs beyond its message. */
export function AlertDetails({ alert }: { alert: AlertItem }) {
  if (alert.type === 'promise_at_risk' && Array.isArray(alert.details?.parts)) {
    return <PartsAtRisk parts={alert.details.parts as PartAtRisk[]} deliveryDate={typeof alert.details.deliveryDate === 'string' ? alert.details.deliveryDate : null} />;
  }
  if (alert.type === 'message_unknown') return <MessageInDoubt messageId={alert.subjectId} details={alert.details ?? null} open={alert.status !== 'resolved'} />;
  return null;
}
