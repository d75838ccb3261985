import { useState, type FormEvent } from 'react';
import { EVENT_TYPES } from '../../../../src/domain/event-types';
import { useI18n } from '../../i18n/i18n';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { FieldError, fieldError } from '../../ui/field-error';
import { Loading } from '../../ui/loading';
import { useCreateWebhook, useSetWebhookStatus, useWebhooks } from './settings-queries';
import { TableWrap } from '../../ui/table-wrap';

/** The signing secret of a new subscription: the API shows it in the answer to POST only (R12). */
function SecretOnce({ secret, onDone }: { secret: string; onDone(): void }) {
  const { t } = useI18n();
  return (
    <div className="secret" role="alert" data-testid="webhook-secret">
      <p>
        <strong>{t('settings.webhook.secretTitle')}</strong> {t('settings.webhook.secretHint')}
      </p>
      <code>{secret}</code>
      <p>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
          {t('settings.webhook.copy')}
        </button>{' '}
        <button type="button" className="ghost" onClick={onDone}>
          {t('settings.webhook.stored')}
        </button>
      </p>
    </div>
  );
}

function NewWebhook({ onCreated }: { onCreated(secret: string): void }) {
  const { t } = useI18n();
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [all, setAll] = useState(false);
  const [types, setTypes] = useState<string[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { url: url.trim(), eventTypes: all ? ['*'] : types },
      {
        onSuccess: (made) => {
          setUrl('');
          setTypes([]);
          setAll(false);
          onCreated(made.secret);
        },
      },
    );
  };
  const urlError = fieldError(create.error, 'url', ['WEBHOOK_TARGET_REFUSED']);
  const typesError = fieldError(create.error, 'eventTypes', ['UNKNOWN_EVENT_TYPE']);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="webhook-new">
      <h3 id="webhook-new">{t('settings.webhook.new')}</h3>
      <label htmlFor="webhook-url">{t('settings.webhook.url')}</label>
      <input id="webhook-url" type="url" className="wide" value={url} placeholder="https://example.com/stockbridge" onChange={(e) => setUrl(e.target.value)} aria-invalid={urlError !== null} aria-describedby="webhook-url-error" />
      <FieldError id="webhook-url-error" message={urlError} />
      <fieldset className="event-types" aria-describedby="webhook-types-error">
        <legend>{t('settings.webhook.events')}</legend>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t('settings.webhook.allEvents')}
        </label>
        <div className="event-type-grid">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input type="checkbox" disabled={all} checked={all || types.includes(type)} onChange={(e) => setTypes(e.target.checked ? [...types, type] : types.filter((x) => x !== type))} />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <FieldError id="webhook-types-error" message={typesError} />
      {create.isError && !urlError && !typesError && <ErrorMessage error={create.error} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('settings.webhook.add')}
        </button>
      </div>
    </form>
  );
}

/** R12: webhook subscriptions — listed for every key, created and switched on and off with an admin key. */
export function Webhooks({ canEdit }: { canEdit: boolean }) {
  const { t, formatDateTime } = useI18n();
  const webhooks = useWebhooks();
  const setStatus = useSetWebhookStatus();
  const [secret, setSecret] = useState<string | null>(null);
  const items = webhooks.data?.items ?? [];
  return (
    <section className="card settings-form" aria-labelledby="settings-webhooks">
      <h2 id="settings-webhooks">{t('settings.webhooks')}</h2>
      <p className="muted small hint">{t('settings.webhooksHint')}</p>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      {webhooks.isPending ? (
        <Loading />
      ) : webhooks.isError ? (
        <ErrorMessage error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{t('settings.noWebhooks')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="settings-webhooks">
            <thead>
              <tr>
                <th scope="col">{t('settings.webhook.url')}</th>
                <th scope="col">{t('settings.webhook.events')}</th>
                <th scope="col">{t('settings.webhook.status')}</th>
                <th scope="col">{t('settings.webhook.created')}</th>
                {canEdit && <th scope="col"><span className="sr-only">{t('settings.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} data-webhook={w.url}>
                  <th scope="row" className="url">{w.url}</th>
                  <td>{w.eventTypes.includes('*') ? t('settings.webhook.allEvents') : w.eventTypes.join(', ')}</td>
                  <td>
                    <span className={`badge ${w.status === 'active' ? 'ok' : 'warn'}`}>{t(`settings.webhook.${w.status}`)}</span>
                    {w.disabledReason && <span className="muted small term-note">{w.disabledReason}</span>}
                  </td>
                  <td className="nowrap">{formatDateTime(w.createdAt)}</td>
                  {canEdit && (
                    <td>
                      <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ id: w.id, status: w.status === 'active' ? 'disabled' : 'active' })}>
                        {w.status === 'active' ? t('settings.webhook.disable') : t('settings.webhook.enable')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {setStatus.isError && <ErrorMessage error={setStatus.error} />}
      {canEdit && <NewWebhook onCreated={setSecret} />}
    </section>
  );
}
