import { useState } from 'react';
import type { Settings } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { FieldError, fieldError } from '../../ui/field-error';
import { SettingsForm } from './settings-form';
import { usePatchSettings } from './settings-queries';

/** R11: who customer e-mails come from and where replies go; empty: the server's default sender. */
export function SenderSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const { t } = useI18n();
  const save = usePatchSettings();
  const [from, setFrom] = useState(settings.emailFrom ?? '');
  const [replyTo, setReplyTo] = useState(settings.emailReplyTo ?? '');
  const submit = () => {
    save.mutate({ emailFrom: from.trim() === '' ? null : from.trim(), emailReplyTo: replyTo.trim() === '' ? null : replyTo.trim() });
  };
  const fromError = fieldError(save.error, 'emailFrom');
  const replyError = fieldError(save.error, 'emailReplyTo');
  return (
    <SettingsForm id="settings-sender" title={t('settings.sender')} canEdit={canEdit} onSubmit={submit} save={save} fieldErrors={[fromError, replyError]}>
      <div className="fields wide">
        <div>
          <label htmlFor="email-from">{t('settings.emailFrom')}</label>
          <input id="email-from" type="text" inputMode="email" value={from} placeholder="Phone Cases <orders@example.com>" onChange={(e) => setFrom(e.target.value)} aria-invalid={fromError !== null} aria-describedby="email-from-hint email-from-error" />
          <p className="muted small hint" id="email-from-hint">{t('settings.emailFromHint')}</p>
          <FieldError id="email-from-error" message={fromError} />
        </div>
        <div>
          <label htmlFor="email-reply-to">{t('settings.emailReplyTo')}</label>
          <input id="email-reply-to" type="text" inputMode="email" value={replyTo} onChange={(e) => setReplyTo(e.target.value)} aria-invalid={replyError !== null} aria-describedby="email-reply-to-error" />
          <FieldError id="email-reply-to-error" message={replyError} />
        </div>
      </div>
    </SettingsForm>
  );
}
