import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link } from '../../shell/router';
import { ErrorMessage } from '../../ui/error-message';
import { AlertDetails } from './alert-details';
import { useAcknowledge, type AlertItem } from './alert-queries';
import { AlertSubject } from './alert-subject';

const SEVERITY_BADGE = { critical: 'danger', warning: 'warn', info: '' } as const;

/** The alerts as a table (R10): severity, type in words, subject, message, first and last seen, occurrences, status. */
export function AlertTable({ alerts, labelledBy }: { alerts: readonly AlertItem[]; labelledBy: string }) {
  const { t, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const ack = useAcknowledge();
  return (
    <>
      {ack.isError && <ErrorMessage error={ack.error} />}
      <div className="table-wrap">
        <table className="alerts-table" aria-labelledby={labelledBy}>
          <thead>
            <tr>
              <th scope="col">{t('alerts.col.severity')}</th>
              <th scope="col">{t('alerts.col.type')}</th>
              <th scope="col">{t('alerts.col.subject')}</th>
              <th scope="col">{t('alerts.col.message')}</th>
              <th scope="col">{t('alerts.col.seen')}</th>
              <th scope="col" className="num">
                {t('alerts.col.occurrences')}
              </th>
              <th scope="col">{t('alerts.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-alert={a.id} data-type={a.type}>
                <td>
                  <span className={`badge ${SEVERITY_BADGE[a.severity]}`}>{t(`alerts.severity.${a.severity}`)}</span>
                </td>
                <td>
                  <Link to={`/alerts/${encodeURIComponent(a.id)}`}>{t(`alerts.type.${a.type}`)}</Link>
                </td>
                <td className="alert-subject">
                  <AlertSubject alert={a} />
                </td>
                <td className="alert-message">
                  {a.message}
                  <AlertDetails alert={a} />
                </td>
                <td className="nowrap small">
                  {formatDateTime(a.firstSeen)}
                  {a.lastSeen !== a.firstSeen && (
                    <>
                      <br />
                      <span className="muted">{t('alerts.lastSeen', { at: formatDateTime(a.lastSeen) })}</span>
                    </>
                  )}
                </td>
                <td className="num">{a.occurrences}</td>
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
      </div>
    </>
  );
}
