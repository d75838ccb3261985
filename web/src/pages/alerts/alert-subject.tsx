import type { AlertItem } from './alert-queries';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';

const text = (details: AlertItem['details'], key: string): string | null => {
  const v = details?.[key];
  return typeof v === 'string' ? v : null;
};

/** The alert's subject, as a link to the page that shows it where there is one (R10's subjects). */
export function AlertSubject({ alert }: { alert: AlertItem }) {
  const { t } = useI18n();
  const id = encodeURIComponent(alert.subjectId);
  switch (alert.subjectType) {
    case 'product':
      // A spike pauses the SKU's incoming offer (R9): its offered stock is what changed.
      return alert.type === 'demand_spike' ? (
        <Link to={`/offered-stock?q=${id}`}>{alert.subjectId}</Link>
      ) : (
        <Link to={`/stock/${id}`}>{alert.subjectId}</Link>
      );
    case 'purchase_order':
      return <Link to={`/purchase-orders/${id}`}>{t('alerts.subject.purchaseOrder', { po: text(alert.details, 'purchaseOrder') ?? alert.subjectId })}</Link>;
    case 'supplier':
      return <Link to={`/suppliers/${id}`}>{text(alert.details, 'supplier') ?? alert.subjectId}</Link>;
    case 'order_part': {
      const orderId = text(alert.details, 'orderId');
      const label = t('alerts.subject.order', { order: text(alert.details, 'externalId') ?? alert.subjectId });
      return orderId ? <Link to={`/orders/${encodeURIComponent(orderId)}`}>{label}</Link> : <>{label}</>;
    }
    case 'message': {
      // R11: the e-mail is known to the merchant by whom it went to and its order, not by its id.
      const recipient = text(alert.details, 'recipient');
      const orderId = text(alert.details, 'orderId');
      const label = recipient ? t('alerts.subject.messageTo', { recipient }) : t('alerts.subject.message', { id: alert.subjectId });
      return orderId ? <Link to={`/orders/${encodeURIComponent(orderId)}`}>{label}</Link> : <>{label}</>;
    }
    default:
      return <>{alert.subjectId}</>;
  }
}
