import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/error-message';
import { useCreateSupplier } from '../purchase-orders/purchasing-queries';

/** A new supplier starts as `new` (R8): its lines are capped until it has delivered three times. */
export function SupplierForm() {
  const { t } = useI18n();
  const create = useCreateSupplier();
  const [name, setName] = useState('');
  const [leadTime, setLeadTime] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    create.mutate(
      { name: name.trim(), ...(leadTime === '' ? {} : { leadTimeDays: Number(leadTime) }) },
      {
        onSuccess: (s) => {
          setCreated(s.name);
          setName('');
          setLeadTime('');
        },
      },
    );
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="supplier-new-title">
      <h2 id="supplier-new-title">{t('suppliers.add')}</h2>
      <div className="form-grid">
        <div>
          <label htmlFor="supplier-name">{t('suppliers.name')}</label>
          <input id="supplier-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="supplier-lead-time">{t('suppliers.leadTime')}</label>
          <input id="supplier-lead-time" type="number" inputMode="numeric" min={0} max={365} step={1} value={leadTime} onChange={(e) => setLeadTime(e.target.value)} />
        </div>
      </div>
      {create.error && <ErrorMessage error={create.error} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t('common.saving') : t('suppliers.create')}
        </button>
        {created && (
          <span role="status" className="small">
            {t('suppliers.created', { name: created })}
          </span>
        )}
      </div>
    </form>
  );
}
