import { useI18n } from '../i18n/i18n';
import { ErrorMessage } from './error-message';

/**
 * What came of a save: "Saved" once it went through, the API's words when it was refused;
 * `shownAtFields` when the form shows the refusal at its fields (ErrorMessage).
 */
export function SaveStatus({ mutation, shownAtFields }: { mutation: { isSuccess: boolean; isError: boolean; error: unknown }; shownAtFields?: boolean }) {
  const { t } = useI18n();
  if (mutation.isError) return <ErrorMessage error={mutation.error} shownAtFields={shownAtFields} />;
  return (
    <span className="save-status" role="status">
      {mutation.isSuccess ? t('common.saved') : ''}
    </span>
  );
}
