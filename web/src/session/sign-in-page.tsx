import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createClient } from '../api/client';
import type { Me } from '../api/types';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';
import { LanguagePicker } from '../shell/language-picker';
import { ErrorMessage } from '../ui/error-message';

/** The key is checked with GET /v1/me before it is kept; a refusal is shown in the API's words. */
export function SignInPage({ notice, onSignedIn }: { notice: MessageKey | null; onSignedIn(key: string, me: Me): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const check = useMutation({
    mutationFn: (candidate: string) => createClient(candidate, () => {}).get<Me>('/v1/me'),
    onSuccess: (me, candidate) => onSignedIn(candidate, me),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) check.mutate(key.trim());
  };
  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="sign-in-head">
          <span className="brand">{t('app.name')}</span>
          <LanguagePicker />
        </div>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        {notice && !check.error && <p className="notice" role="status">{t(notice)}</p>}
        <label htmlFor="api-key">{t('signIn.key')}</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="sb_…"
        />
        {check.error && <ErrorMessage error={check.error} />}
        <button type="submit" className="primary" disabled={check.isPending || !key.trim()}>
          {check.isPending ? t('signIn.checking') : t('signIn.submit')}
        </button>
        <p className="muted small">{t('signIn.kept')}</p>
      </form>
    </main>
  );
}
