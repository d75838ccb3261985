import type { PurchaseOrder } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { lateness, todayUtc } from './lateness';

const STATUS_TONE: Record<PurchaseOrder['status'], string> = { draft: '', open: '', partially_received: 'warn', received: 'ok', cancelled: 'danger' };

export function PoStatusBadge({ status }: { status: PurchaseOrder['status'] }) {
  const { t } = useI18n();
  return <span className={`badge ${STATUS_TONE[status]}`.trim()}>{t(`po.status.${status}`)}</span>;
}

/** Overdue, late or on time (R8), in words; nothing while the expected date is still ahead. */
export function LatenessBadge({ po }: { po: PurchaseOrder }) {
  const { t } = useI18n();
  const late = lateness(po, todayUtc());
  if (!late) return <span className="muted">{t('common.none')}</span>;
  if (late.kind === 'onTime') return <span className="badge ok">{t('po.onTime')}</span>;
  return <span className={`badge ${late.kind === 'overdue' ? 'danger' : 'warn'}`}>{t(late.kind === 'overdue' ? 'po.overdueBy' : 'po.lateBy', { n: late.days })}</span>;
}
