import { useState, type FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/idempotency-key';
import type { Location, ProductStock } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/error-message';
import { signed } from './signed';
import { useAdjustStock } from './stock-queries';

type Mode = 'delta' | 'count';

/**
 * Changes on hand at one location with a ledger row: by a number of units, or to what was
 * counted (the difference to on hand is sent). Removing reserved units is refused by the API.
 */
export function AdjustmentForm({ stock, locations }: { stock: ProductStock; locations: readonly Location[] }) {
  const { t } = useI18n();
  const adjust = useAdjustStock();
  const [location, setLocation] = useState(locations[0]?.code ?? '');
  const [mode, setMode] = useState<Mode>('delta');
  const [amount, setAmount] = useState('');
  const [kind, setKind] = useState<'adjustment' | 'damage'>('adjustment');
  const [reason, setReason] = useState('');
  // One key per adjustment as entered: a retry after a lost answer counts once.
  const [key, setKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<string | null>(null);

  const onHand = stock.locations.find((l) => l.location === location)?.onHand ?? 0;
  const typed = /^-?\d+$/.test(amount.trim()) ? Number(amount) : null;
  const delta = typed === null ? null : mode === 'count' ? typed - onHand : typed;
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setKey(newIdempotencyKey());
    setDone(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (delta === null || delta === 0) return;
    adjust.mutate(
      { sku: stock.sku, location, delta, kind, reason: reason.trim() || undefined, idempotencyKey: key },
      {
        onSuccess: () => {
          setDone(t('stock.adjusted', { delta: signed(delta), location }));
          setAmount('');
          setReason('');
          setKey(newIdempotencyKey());
        },
      },
    );
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="adjust-title">
      <h2 id="adjust-title">{t('stock.adjust')}</h2>
      <div className="form-grid">
        <div>
          <label htmlFor="adjust-location">{t('po.col.location')}</label>
          <select id="adjust-location" required value={location} onChange={(e) => edit(setLocation)(e.target.value)}>
            {locations.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </div>
        <fieldset className="segmented">
          <legend>{t('stock.adjustBy')}</legend>
          <label>
            <input type="radio" name="adjust-mode" checked={mode === 'delta'} onChange={() => edit(setMode)('delta')} /> {t('stock.mode.delta')}
          </label>
          <label>
            <input type="radio" name="adjust-mode" checked={mode === 'count'} onChange={() => edit(setMode)('count')} /> {t('stock.mode.count')}
          </label>
        </fieldset>
        <div>
          <label htmlFor="adjust-amount">{mode === 'count' ? t('stock.counted') : t('stock.delta')}</label>
          <input id="adjust-amount" type="number" step={1} min={mode === 'count' ? 0 : undefined} required inputMode="numeric" value={amount} onChange={(e) => edit(setAmount)(e.target.value)} />
          <p className="small muted" aria-live="polite">
            {mode === 'count' && delta !== null ? t('stock.countDelta', { onHand, delta: signed(delta) }) : t('stock.deltaHint')}
          </p>
        </div>
        <div>
          <label htmlFor="adjust-kind">{t('stock.kind')}</label>
          <select id="adjust-kind" value={kind} onChange={(e) => edit(setKind)(e.target.value as 'adjustment' | 'damage')}>
            <option value="adjustment">{t('stock.kind.adjustment')}</option>
            <option value="damage">{t('stock.kind.damage')}</option>
          </select>
        </div>
        <div className="wide">
          <label htmlFor="adjust-reason">{t('stock.reason')}</label>
          <input id="adjust-reason" maxLength={500} value={reason} onChange={(e) => edit(setReason)(e.target.value)} />
        </div>
      </div>
      {adjust.error && <ErrorMessage error={adjust.error} />}
      {done && (
        <p className="notice ok" role="status">
          {done}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={adjust.isPending || delta === null || delta === 0}>
          {adjust.isPending ? t('common.saving') : t('stock.save')}
        </button>
        {delta === 0 && <span className="muted">{t('stock.nothingToChange')}</span>}
      </div>
    </form>
  );
}
