import { useState } from 'react';
import type { Settings } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { NumberField, numberOf } from '../../ui/number-field';
import { fieldError } from '../../ui/field-error';
import { SettingsForm } from './settings-form';
import { usePatchSettings } from './settings-queries';

const SPIKE_FIELDS = ['baselineDays', 'windowHours', 'factor', 'minUnits', 'pauseHours'] as const;
type SpikeField = (typeof SPIKE_FIELDS)[number];

/** R9's spike rule (a 10-a-day SKU selling 50 in an afternoon) and R10's backorder aging. */
export function AlertSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const { t } = useI18n();
  const save = usePatchSettings();
  const rule = settings.demandSpikes;
  const [enabled, setEnabled] = useState(rule.enabled);
  const [values, setValues] = useState<Record<SpikeField, string>>(() => Object.fromEntries(SPIKE_FIELDS.map((f) => [f, String(rule[f])])) as Record<SpikeField, string>);
  const [agingDays, setAgingDays] = useState(String(settings.backorderAgingDays));
  const submit = () => {
    save.mutate({
      demandSpikes: { enabled, ...Object.fromEntries(SPIKE_FIELDS.map((f) => [f, numberOf(values[f])])) },
      backorderAgingDays: numberOf(agingDays),
    });
  };
  const errorOf = (f: SpikeField) => fieldError(save.error, `demandSpikes.${f}`);
  const agingError = fieldError(save.error, 'backorderAgingDays');
  const field = (f: SpikeField, step = '1', min = '1', max?: string) => (
    <NumberField
      key={f}
      id={`spike-${f}`}
      label={t(`settings.spike.${f}`)}
      hint={t(`settings.spike.${f}.hint`)}
      step={step}
      min={min}
      max={max}
      value={values[f]}
      onChange={(v) => setValues((x) => ({ ...x, [f]: v }))}
      error={errorOf(f)}
      disabled={!enabled}
    />
  );
  return (
    <SettingsForm id="settings-alerts" title={t('settings.alerts')} canEdit={canEdit} onSubmit={submit} save={save} fieldErrors={[agingError, ...SPIKE_FIELDS.map(errorOf)]}>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {t('settings.spike.enabled')}
      </label>
      <p className="muted small hint">
        {t('settings.spike.explained', { factor: values.factor, hours: values.windowHours, min: values.minUnits, days: values.baselineDays })}{' '}
        {t(Number(values.pauseHours) > 0 ? 'settings.spike.explainedPause' : 'settings.spike.explainedAlert')}
      </p>
      <div className="fields">
        {field('factor', '0.1', '0.1', '1000')}
        {field('minUnits')}
        {field('windowHours', '1', '1', '48')}
        {field('baselineDays', '1', '1', '365')}
        {field('pauseHours', '1', '0', '720')}
        <NumberField id="aging-days" label={t('settings.agingDays')} hint={t('settings.agingDaysHint')} min="1" max="365" value={agingDays} onChange={setAgingDays} error={agingError} />
      </div>
    </SettingsForm>
  );
}
