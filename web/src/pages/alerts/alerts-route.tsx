import { useI18n } from '../../i18n/i18n';
import type { PageProps } from '../../shell/pages';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { FilterTabs } from '../../ui/filter-tabs';
import { LoadMore } from '../../ui/load-more';
import { Loading } from '../../ui/loading';
import { ALERT_STATUSES, ALERT_TYPES, useAlert, useAlerts, type AlertStatus, type AlertType } from './alert-queries';
import { AlertTable } from './alert-table';

/** The status tab and type filter live in the URL (?status=&type=), so a filtered list can be shared. */
function show(status: AlertStatus, type: AlertType | '') {
  const params = new URLSearchParams();
  if (status !== 'open') params.set('status', status);
  if (type) params.set('type', type);
  const query = params.toString();
  navigate(`/alerts${query ? `?${query}` : ''}`, { replace: true });
}

function AlertsPage({ search }: { search: URLSearchParams }) {
  const { t } = useI18n();
  const status = (ALERT_STATUSES as readonly string[]).includes(search.get('status') ?? '') ? (search.get('status') as AlertStatus) : 'open';
  const type = (ALERT_TYPES as readonly string[]).includes(search.get('type') ?? '') ? (search.get('type') as AlertType) : '';
  const alerts = useAlerts(status, type);
  const items = alerts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 id="alerts-title">{t('alerts.title')}</h1>
      <p className="muted page-intro">{t('alerts.intro')}</p>
      <FilterTabs values={ALERT_STATUSES} value={status} label={(s) => t(`alerts.status.${s}`)} ariaLabel={t('alerts.tabs')} panelId="alerts-panel" onChange={(s) => show(s, type)} />
      <div className="toolbar">
        <div>
          <label htmlFor="alert-type">{t('alerts.col.type')}</label>
          <select id="alert-type" value={type} onChange={(e) => show(status, e.target.value as AlertType | '')}>
            <option value="">{t('alerts.allTypes')}</option>
            {ALERT_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`alerts.type.${ty}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section id="alerts-panel" role="tabpanel" aria-busy={alerts.isFetching}>
        {alerts.isPending ? (
          <Loading />
        ) : alerts.isError ? (
          <ErrorMessage error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t('alerts.empty', { status: t(`alerts.status.${status}`).toLowerCase() })}</EmptyState>
        ) : (
          <>
            <AlertTable alerts={items} labelledBy="alerts-title" />
            <LoadMore query={alerts} />
          </>
        )}
      </section>
    </>
  );
}

/** `/alerts/<id>`: one alert, e.g. the spike the offered-stock breakdown names (R9). */
function AlertPage({ id }: { id: string }) {
  const { t } = useI18n();
  const alert = useAlert(id);
  return (
    <>
      <p>
        <Link to="/alerts">{t('alerts.back')}</Link>
      </p>
      <h1 id="alert-title">{alert.data ? t(`alerts.type.${alert.data.type}`) : t('alerts.title')}</h1>
      {alert.isPending ? <Loading /> : alert.isError ? <ErrorMessage error={alert.error} onRetry={() => void alert.refetch()} /> : <AlertTable alerts={[alert.data]} labelledBy="alert-title" />}
    </>
  );
}

/** `/alerts` lists them by status, `/alerts/<id>` shows one (R10). */
export function AlertsRoute({ rest, search }: PageProps) {
  const id = rest.replace(/^\//, '');
  return id ? <AlertPage id={decodeURIComponent(id)} /> : <AlertsPage search={search} />;
}
