import { ApiError } from '../api/api-error';
import { isMessageKey, useI18n } from '../i18n/i18n';
import { schemaMessage } from './schema-message';

/**
 * An error in words: the problem's title in the reader's language (the API's own title for a
 * code the catalogue does not know), the API's detail under it, what was wrong per field, and
 * its stable code. With `shownAtFields` the form already shows each field's message at the
 * field, so this only says that some fields need attention.
 */
export function ErrorMessage({ error, onRetry, shownAtFields = false }: { error: unknown; onRetry?: () => void; shownAtFields?: boolean }) {
  const { t, formatNumber } = useI18n();
  const problem = error instanceof ApiError ? error : null;
  const key = problem ? `error.${problem.code}` : '';
  const title = shownAtFields ? t('error.fieldsNeedAttention') : problem ? (isMessageKey(key) ? t(key) : problem.title) : t('common.error');
  const detail = shownAtFields ? '' : problem ? problem.detail : error instanceof Error ? error.message : '';
  return (
    <div className="error" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      {detail && <p>{detail}</p>}
      {!shownAtFields && problem && problem.fieldErrors.length > 0 && (
        <ul>
          {problem.fieldErrors.map((e, i) => (
            <li key={i}>{e.path ? `${e.path}: ${schemaMessage(e, t, (n) => formatNumber(n))}` : schemaMessage(e, t, (n) => formatNumber(n))}</li>
          ))}
        </ul>
      )}
      <p className="small muted">
        {problem && `${t('common.code')}: ${problem.code}`}
        {onRetry && (
          <button type="button" className="link" onClick={onRetry}>
            {t('common.retry')}
          </button>
        )}
      </p>
    </div>
  );
}
