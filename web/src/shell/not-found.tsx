import { useI18n } from '../i18n/i18n';
import { Link } from './router';

/** A dashboard path no page has, e.g. a mistyped or old link: said so, with the way to Orders. */
export function NotFound({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <p className="muted">{t('notFound.text', { path })}</p>
      <p>
        <Link to="/orders">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
