import { useI18n } from '../i18n/i18n';

export function Loading({ page = false }: { page?: boolean }) {
  const { t } = useI18n();
  return (
    <p className={page ? 'loading loading-page' : 'loading'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  );
}
