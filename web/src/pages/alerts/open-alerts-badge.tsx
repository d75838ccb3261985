import { useI18n } from '../../i18n/i18n';
import { BADGE_LIMIT, useOpenAlertCount } from './alert-queries';

/** The nav's count of open alerts (one request); nothing while there are none. */
export function OpenAlertsBadge() {
  const { t } = useI18n();
  const open = useOpenAlertCount();
  if (!open.data || open.data.count === 0) return null;
  const n = open.data.more ? `${BADGE_LIMIT}+` : String(open.data.count);
  return (
    <span className="nav-count" data-testid="open-alerts" title={t('alerts.openCount', { n })}>
      {n}
    </span>
  );
}
