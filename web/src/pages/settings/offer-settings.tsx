import { useState } from 'react';
import type { Settings } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { fieldError } from '../../ui/field-error';
import { NumberField, numberOf } from '../../ui/number-field';
import { SettingsForm } from './settings-form';
import { usePatchSettings } from './settings-queries';

/** R1's organisation switch and R7's acceptance ratio and default safety buffer. */
export function OfferSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const { t } = useI18n();
  const save = usePatchSettings();
  const [backorders, setBackorders] = useState(settings.backordersEnabled);
  const [ratio, setRatio] = useState(String(settings.acceptanceRatio));
  const [buffer, setBuffer] = useState(String(settings.defaultSafetyBuffer));
  const submit = () => {
    save.mutate({ backordersEnabled: backorders, acceptanceRatio: numberOf(ratio), defaultSafetyBuffer: numberOf(buffer) });
  };
  const ratioError = fieldError(save.error, 'acceptanceRatio');
  const bufferError = fieldError(save.error, 'defaultSafetyBuffer');
  return (
    <SettingsForm id="settings-offers" title={t('settings.offers')} canEdit={canEdit} onSubmit={submit} save={save} fieldErrors={[ratioError, bufferError]}>
      <label className="check">
        <input type="checkbox" checked={backorders} onChange={(e) => setBackorders(e.target.checked)} />
        {t('settings.backordersEnabled')}
      </label>
      <p className="muted small hint">{t('settings.backordersHint')}</p>
      <div className="fields">
        <NumberField id="acceptance-ratio" label={t('settings.acceptanceRatio')} hint={t('settings.acceptanceRatioHint')} step="0.01" min="0.01" max="1" value={ratio} onChange={setRatio} error={ratioError} />
        <NumberField id="safety-buffer" label={t('settings.safetyBuffer')} hint={t('settings.safetyBufferHint')} min="0" value={buffer} onChange={setBuffer} error={bufferError} />
      </div>
    </SettingsForm>
  );
}
