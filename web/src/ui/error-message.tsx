import { ApiError } from '../api/api-error';
import { useI18n } from '../i18n/i18n';

/** An error in words: the problem's title and detail, what was wrong per field, and its stable code. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const problem = error instanceof ApiError ? error : null;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{problem ? problem.title : t('common.error')}</strong>
        {problem?.detail ? ` — ${problem.detail}` : !problem && error instanceof Error ? ` — ${error.message}` : ''}
      </p>
      {problem && problem.fieldErrors.length > 0 && (
        <ul>
          {problem.fieldErrors.map((e, i) => (
            <li key={i}>{e.path ? `${e.path}: ${e.message}` : e.message}</li>
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
