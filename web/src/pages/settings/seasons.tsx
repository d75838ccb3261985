import { useState, type FormEvent } from 'react';
import type { Season } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { FieldError, fieldError } from '../../ui/field-error';
import { SaveStatus } from '../../ui/save-status';
import { useCreateSeason, useDeleteSeason } from './settings-queries';
import { TableWrap } from '../../ui/table-wrap';

const EMPTY = { name: '', startsOn: '', endsOn: '', acceptanceRatio: '', windowMultiplier: '' };

/** R15: date ranges that change the acceptance ratio and multiply `days` windows while they run. */
export function Seasons({ seasons, canEdit }: { seasons: readonly Season[]; canEdit: boolean }) {
  const { t, formatDate } = useI18n();
  const create = useCreateSeason();
  const remove = useDeleteSeason();
  const [draft, setDraft] = useState(EMPTY);
  const set = (patch: Partial<typeof EMPTY>) => setDraft({ ...draft, ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        name: draft.name.trim(),
        startsOn: draft.startsOn,
        endsOn: draft.endsOn,
        ...(draft.acceptanceRatio.trim() ? { acceptanceRatio: Number(draft.acceptanceRatio) } : {}),
        ...(draft.windowMultiplier.trim() ? { windowMultiplier: Number(draft.windowMultiplier) } : {}),
      },
      { onSuccess: () => setDraft(EMPTY) },
    );
  };
  const error = (field: keyof typeof EMPTY, codes: string[] = []) => fieldError(create.error, field, codes);
  const errors = {
    name: error('name', ['DUPLICATE_SEASON']),
    startsOn: error('startsOn'),
    endsOn: error('endsOn', ['INVALID_SEASON']),
    acceptanceRatio: error('acceptanceRatio'),
    windowMultiplier: error('windowMultiplier'),
  };
  const input = (field: keyof typeof EMPTY, type: string, extra: Record<string, string> = {}) => (
    <div>
      <label htmlFor={`season-${field}`}>{t(`settings.season.${field}`)}</label>
      <input id={`season-${field}`} type={type} value={draft[field]} onChange={(e) => set({ [field]: e.target.value })} aria-invalid={errors[field] !== null} aria-describedby={`season-${field}-error`} {...extra} />
      <FieldError id={`season-${field}-error`} message={errors[field]} />
    </div>
  );
  return (
    <section className="card settings-form" aria-labelledby="settings-seasons">
      <h2 id="settings-seasons">{t('settings.seasons')}</h2>
      <p className="muted small hint">{t('settings.seasonsHint')}</p>
      {seasons.length === 0 ? (
        <EmptyState>{t('settings.noSeasons')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="settings-seasons">
            <thead>
              <tr>
                <th scope="col">{t('settings.season.name')}</th>
                <th scope="col">{t('settings.season.startsOn')}</th>
                <th scope="col">{t('settings.season.endsOn')}</th>
                <th scope="col" className="num">{t('settings.season.acceptanceRatio')}</th>
                <th scope="col" className="num">{t('settings.season.windowMultiplier')}</th>
                {canEdit && <th scope="col"><span className="sr-only">{t('settings.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {seasons.map((s) => (
                <tr key={s.id} data-season={s.name}>
                  <th scope="row">{s.name}</th>
                  <td className="nowrap">{formatDate(s.startsOn)}</td>
                  <td className="nowrap">{formatDate(s.endsOn)}</td>
                  <td className="num">{s.acceptanceRatio ?? t('settings.season.organisationRatio')}</td>
                  <td className="num">× {s.windowMultiplier}</td>
                  {canEdit && (
                    <td>
                      <button type="button" className="danger" disabled={remove.isPending} aria-label={t('settings.season.deleteNamed', { name: s.name })} onClick={() => remove.mutate(s.id)}>
                        {t('settings.season.delete')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {remove.isError && <ErrorMessage error={remove.error} />}
      {canEdit && (
        <form onSubmit={submit} noValidate aria-labelledby="season-new">
          <h3 id="season-new">{t('settings.season.new')}</h3>
          <div className="fields">
            {input('name', 'text', { maxLength: '100' })}
            {input('startsOn', 'date')}
            {input('endsOn', 'date')}
            {input('acceptanceRatio', 'number', { step: '0.01', min: '0.01', max: '1', placeholder: t('settings.season.organisationRatio') })}
            {input('windowMultiplier', 'number', { step: '0.1', min: '0.1', max: '10', placeholder: '1' })}
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {t('settings.season.add')}
            </button>
            <SaveStatus mutation={create} shownAtFields={Object.values(errors).some((e) => e !== null)} />
          </div>
        </form>
      )}
    </section>
  );
}
