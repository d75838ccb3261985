import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { ErrorMessage } from '../../ui/error-message';
import { AlertDetails } from './alert-details';
import { useAcknowledge, type AlertItem } from './alert-queries';
import { AlertSubject } from './alert-subject';
import { useAlertMessage } from './alert-message';
import { TableWrap } from '../../ui/table-wrap';

const SEVERITY_BADGE = { critical: 'danger', warning: 'warn', info: '' } as const;

/** The alerts as a table (R10): severity and type in words, subject, message, first and last seen with the occurrences, status; five columns, so it fits a tablet. */
export function AlertTable({ alerts, labelledBy }: { alerts: readonly AlertItem[]; labelledBy: string }) {
  const { t, tn, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const ack = useAcknowledge();
  const message = useAlertMessage();
  return (
    <>
      {ack.isError && <ErrorMessage error={ack.error} />}
      <TableWrap>
        <table className="alerts-table" aria-labelledby={labelledBy}>
          <thead>
            <tr>
              <th scope="col">{t('alerts.col.alert')}</th>
              <th scope="col">{t('alerts.col.subject')}</th>
              <th scope="col">{t('alerts.col.message')}</th>
              <th scope="col">{t('alerts.col.seen')}</th>
              <th scope="col">{t('alerts.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-alert={a.id} data-type={a.type}>
                <td>
                  <span className={`badge ${SEVERITY_BADGE[a.severity]}`}>{t(`alerts.severity.${a.severity}`)}</span>
                  <span className="cell-sub">
                    <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{t(`alerts.type.${a.type}`)}</Link>
                  </span>
                </td>
                <td className="alert-subject">
                  <AlertSubject alert={a} />
                </td>
                <td className="alert-message">
                  {message(a)}
                  <AlertDetails alert={a} />
                </td>
                <td className="small alert-seen">
                  {formatDateTime(a.firstSeen)}
                  {a.lastSeen !== a.firstSeen && (
                    <span className="cell-sub muted">{t('alerts.lastSeen', { at: formatDateTime(a.lastSeen) })}</span>
                  )}
                  <span className="cell-sub muted" data-testid="occurrences">
                    {tn('alerts.occurrences', a.occurrences)}
                  </span>
                </td>
                <td className="nowrap">
                  <span className="badge" data-testid="alert-status">
                    {t(`alerts.status.${a.status}`)}
                  </span>
                  {canWrite && a.status === 'open' && (
                    <p>
                      <button type="button" onClick={() => ack.mutate(a.id)} disabled={ack.isPending} aria-label={t('alerts.ackLabel', { type: t(`alerts.type.${a.type}`), subject: a.subjectId })}>
                        {t('alerts.ack')}
                      </button>
                    </p>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
