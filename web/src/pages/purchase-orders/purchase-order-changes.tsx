import { useState, type FormEvent } from 'react';
import type { PurchaseOrder } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/error-message';
import { SaveStatus } from '../../ui/save-status';
import { TableWrap } from '../../ui/table-wrap';
import { useCancelPurchaseOrder, useUpdatePurchaseOrder, type PurchaseOrderChange } from './purchasing-queries';

/** Received and cancelled purchase orders are final; the API refuses to change them. */
export const CHANGEABLE = new Set(['draft', 'open', 'partially_received']);

/**
 * Move the expected date or change ordered quantities (never below what was received or
 * cancelled already), and submit a draft. Only what differs from the order is sent; the server
 * re-plans the promises on it (R3) and raises promise-at-risk alerts where dates slip (R10).
 */
export function PurchaseOrderEdit({ po }: { po: PurchaseOrder }) {
  const { t } = useI18n();
  const update = useUpdatePurchaseOrder(po.id);
  const [expectedDate, setExpectedDate] = useState(po.expectedDate);
  const [ordered, setOrdered] = useState<Record<string, string>>(() => Object.fromEntries(po.lines.map((l) => [l.sku, String(l.ordered)])));

  const change: PurchaseOrderChange = {};
  if (expectedDate !== po.expectedDate) change.expectedDate = expectedDate;
  const lines = po.lines.filter((l) => ordered[l.sku] !== String(l.ordered)).map((l) => ({ sku: l.sku, qty: Number(ordered[l.sku]) }));
  if (lines.length > 0) change.lines = lines;
  const changed = Object.keys(change).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(change);
  };
  return (
    <section aria-labelledby="po-change-title" className="card form">
      <h2 id="po-change-title">{t('po.change')}</h2>
      <form onSubmit={submit} aria-labelledby="po-change-title">
        <div className="form-grid">
          <div>
            <label htmlFor="po-change-expected">{t('po.col.expected')}</label>
            <input id="po-change-expected" type="date" required value={expectedDate} onChange={(e) => {
                setExpectedDate(e.target.value);
                update.reset();
              }} />
          </div>
        </div>
        <TableWrap>
          <table className="form-lines" aria-label={t('po.changeLines')}>
            <thead>
              <tr>
                <th scope="col">{t('po.col.sku')}</th>
                <th scope="col" className="num">{t('po.col.ordered')}</th>
                <th scope="col" className="num">{t('po.atLeast')}</th>
              </tr>
            </thead>
            <tbody>
              {po.lines.map((l) => {
                const atLeast = l.received + l.damaged + l.cancelled;
                return (
                  <tr key={l.lineNo}>
                    <th scope="row">{l.sku}</th>
                    <td className="num">
                      <input
                        aria-label={t('po.orderedOf', { sku: l.sku })}
                        type="number"
                        inputMode="numeric"
                        required
                        step={1}
                        min={Math.max(1, atLeast)}
                        value={ordered[l.sku] ?? ''}
                        onChange={(e) => {
                          setOrdered((o) => ({ ...o, [l.sku]: e.target.value }));
                          update.reset();
                        }}
                      />
                    </td>
                    <td className="num muted">{atLeast}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
        <p className="muted small">{t('po.changeHint')}</p>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!changed || update.isPending}>
            {update.isPending ? t('common.saving') : t('po.saveChanges')}
          </button>
          {po.status === 'draft' && (
            <button type="button" disabled={update.isPending} onClick={() => update.mutate({ ...change, status: 'open' })}>
              {t('po.submitDraft')}
            </button>
          )}
          <SaveStatus mutation={update} />
        </div>
      </form>
    </section>
  );
}

/**
 * Cancel what is still to come on some lines or all (received units stay). Asks once more
 * before it sends: promises on the cancelled units move elsewhere or lapse (R19's counterpart).
 */
export function PurchaseOrderCancel({ po }: { po: PurchaseOrder }) {
  const { t, tn } = useI18n();
  const cancel = useCancelPurchaseOrder(po.id);
  const open = po.lines.filter((l) => l.incoming > 0);
  // Nothing is chosen to start with: cancelling is a choice, never a default.
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [confirming, setConfirming] = useState(false);
  if (open.length === 0) return null;
  const units = open.filter((l) => chosen.has(l.sku)).reduce((n, l) => n + l.incoming, 0);
  const toggle = (sku: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(sku)) next.delete(sku);
      else next.add(sku);
      return next;
    });
  const send = () => {
    const all = open.every((l) => chosen.has(l.sku));
    cancel.mutate(all ? null : [...chosen], { onSettled: () => setConfirming(false) });
  };
  return (
    <section aria-labelledby="po-cancel-title" className="card form">
      <h2 id="po-cancel-title">{t('po.cancelTitle')}</h2>
      <fieldset>
        <legend className="muted small">{t('po.cancelHint')}</legend>
        {open.map((l) => (
          <label key={l.lineNo} className="check">
            <input type="checkbox" checked={chosen.has(l.sku)} onChange={() => toggle(l.sku)} disabled={confirming} />{' '}
            {t('po.cancelLine', { sku: l.sku, n: l.incoming, promised: l.promised })}
          </label>
        ))}
      </fieldset>
      {cancel.error && <ErrorMessage error={cancel.error} />}
      <div className="form-actions">
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={send} disabled={cancel.isPending}>
              {tn('po.cancelConfirm', units)}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={cancel.isPending}>
              {t('po.cancelKeep')}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} disabled={units === 0}>
            {t('po.cancelSelected')}
          </button>
        )}
      </div>
    </section>
  );
}
