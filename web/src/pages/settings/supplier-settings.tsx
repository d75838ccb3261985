import { useState } from 'react';
import type { Settings } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { NumberField, numberOf } from '../../ui/number-field';
import { fieldError } from '../../ui/field-error';
import { SettingsForm } from './settings-form';
import { usePatchSettings } from './settings-queries';

/** R8's caution with suppliers that are new or erratic, and R14's pre-order opening. */
export function SupplierSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const { t } = useI18n();
  const save = usePatchSettings();
  const [factor, setFactor] = useState(String(settings.erraticRatioFactor));
  const [capped, setCapped] = useState(settings.cappedSalesDays !== null);
  const [capDays, setCapDays] = useState(String(settings.cappedSalesDays ?? 3));
  const [preorderDays, setPreorderDays] = useState(String(settings.preorderDays));
  // An empty days field must not reach the API: there null means "no cap".
  const [capMissing, setCapMissing] = useState(false);
  const submit = () => {
    const missing = capped && capDays.trim() === '';
    setCapMissing(missing);
    if (missing) return save.reset();
    save.mutate({ erraticRatioFactor: numberOf(factor), cappedSalesDays: capped ? numberOf(capDays) : null, preorderDays: numberOf(preorderDays) });
  };
  const errors = { factor: fieldError(save.error, 'erraticRatioFactor'), cap: capMissing ? { message: t('settings.capDaysMissing') } : fieldError(save.error, 'cappedSalesDays'), preorder: fieldError(save.error, 'preorderDays') };
  return (
    <SettingsForm id="settings-suppliers" title={t('settings.suppliers')} canEdit={canEdit} onSubmit={submit} save={save} fieldErrors={Object.values(errors)}>
      <label className="check">
        <input type="checkbox" checked={capped} onChange={(e) => setCapped(e.target.checked)} />
        {t('settings.capNewSuppliers')}
      </label>
      <div className="fields">
        <NumberField id="capped-days" label={t('settings.capDays')} hint={t('settings.capDaysHint')} step="0.5" min="0" max="365" value={capDays} onChange={setCapDays} error={errors.cap} disabled={!capped} />
        <NumberField id="erratic-factor" label={t('settings.erraticFactor')} hint={t('settings.erraticFactorHint')} step="0.01" min="0.01" max="1" value={factor} onChange={setFactor} error={errors.factor} />
        <NumberField id="preorder-days" label={t('settings.preorderDays')} hint={t('settings.preorderDaysHint')} min="0" max="365" value={preorderDays} onChange={setPreorderDays} error={errors.preorder} />
      </div>
    </SettingsForm>
  );
}
