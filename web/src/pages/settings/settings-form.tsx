import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { SaveStatus } from '../../ui/save-status';

/**
 * One settings card: a titled form whose fields an admin key may change; others see them
 * disabled and no Save. `fieldErrors` says the API's refusal is shown at the fields.
 */
export function SettingsForm(props: {
  id: string;
  title: string;
  canEdit: boolean;
  onSubmit(): void;
  save: { isPending: boolean; isSuccess: boolean; isError: boolean; error: unknown };
  fieldErrors: readonly unknown[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { id, title, canEdit, onSubmit, save, fieldErrors, children } = props;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <fieldset disabled={!canEdit}>{children}</fieldset>
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('common.save')}
          </button>
          <SaveStatus mutation={save} shownAtFields={fieldErrors.some((e) => e !== null)} />
        </div>
      )}
    </form>
  );
}
