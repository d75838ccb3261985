import { useRef, useState, type FormEvent } from 'react';
import { newIdempotencyKey } from '../../api/idempotency-key';
import type { PurchaseOrder } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ApiError } from '../../api/api-error';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { RECEIVABLE } from './purchase-order-detail-page';
import { usePurchaseOrder, useReceive } from './purchasing-queries';
import { TableWrap } from '../../ui/table-wrap';

type Counts = Record<string, { good: string; damaged: string }>;

const whole = (typed: string | undefined) => (typed && /^\d+$/.test(typed.trim()) ? Number(typed) : 0);
/** A typed count that is not empty and not a whole number of 0 or more, e.g. -3 or 2.5. */
const invalid = (typed: string | undefined) => typed !== undefined && typed.trim() !== '' && !/^\d+$/.test(typed.trim());

/**
 * One Idempotency-Key per receipt as entered: pressing Receive again after a lost answer sends
 * the same key and gets the stored receipt (README: Retries), while a corrected count is a new
 * request with a new key.
 */
function useKeyPerBody() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) last.current = { body: json, key: newIdempotencyKey() };
    return last.current.key;
  };
}

/** R5: the dock counts each line, good and damaged; the receipt answers with the cross-dock list. */
export function ReceivingPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const po = usePurchaseOrder(id);
  const back = (
    <p>
      <Link to={`/purchase-orders/${encodeURIComponent(id)}`}>← {t('receiving.back')}</Link>
    </p>
  );
  if (po.isPending) return <Loading />;
  if (po.isError) return (<>{back}<ErrorMessage error={po.error} onRetry={() => void po.refetch()} /></>);
  return (
    <>
      {back}
      <h1 id="receiving-title">{t('receiving.title', { number: po.data.number })}</h1>
      {!canWrite ? (
        <EmptyState>{t('receiving.readOnly')}</EmptyState>
      ) : !RECEIVABLE.has(po.data.status) ? (
        <EmptyState>{t('receiving.notReceivable', { status: t(`po.status.${po.data.status}`) })}</EmptyState>
      ) : (
        <ReceivingForm po={po.data} />
      )}
    </>
  );
}

/** R5's refusal names each line counted above what is still to come (details.lines). */
function overLines(error: ApiError): { sku: string; received: number; outstanding: number }[] {
  const lines = error.details.lines;
  return Array.isArray(lines) ? (lines as { sku: string; received: number; outstanding: number }[]) : [];
}

function ReceivingForm({ po }: { po: PurchaseOrder }) {
  const { t } = useI18n();
  const receive = useReceive(po.id);
  const keyFor = useKeyPerBody();
  const [counts, setCounts] = useState<Counts>({});
  const [force, setForce] = useState(false);
  const over = receive.error instanceof ApiError && receive.error.code === 'OVER_RECEIPT' ? overLines(receive.error) : null;
  const badCount = po.lines.some((l) => invalid(counts[l.sku]?.good) || invalid(counts[l.sku]?.damaged));
  const set = (sku: string, field: 'good' | 'damaged', value: string) =>
    setCounts((c) => ({ ...c, [sku]: { good: c[sku]?.good ?? '', damaged: c[sku]?.damaged ?? '', [field]: value } }));
  const lines = po.lines
    .map((l) => ({ sku: l.sku, good: whole(counts[l.sku]?.good), damaged: whole(counts[l.sku]?.damaged) }))
    .filter((l) => l.good + l.damaged > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (lines.length === 0 || badCount) return;
    receive.mutate(
      { lines, force, idempotencyKey: keyFor({ lines, force }) },
      { onSuccess: (receipt) => navigate(`/purchase-orders/${encodeURIComponent(po.id)}/receipts/${encodeURIComponent(receipt.id)}`) },
    );
  };
  const fillAll = () => setCounts(Object.fromEntries(po.lines.map((l) => [l.sku, { good: String(l.incoming), damaged: counts[l.sku]?.damaged ?? '' }])));

  return (
    <form onSubmit={submit} aria-labelledby="receiving-title">
      <p className="muted">{t('receiving.intro', { location: po.location })}</p>
      <TableWrap>
        <table aria-labelledby="receiving-title">
          <thead>
            <tr>
              <th scope="col">{t('po.col.sku')}</th>
              <th scope="col" className="num">{t('po.col.ordered')}</th>
              <th scope="col" className="num">{t('po.col.incoming')}</th>
              <th scope="col" className="num">{t('receipt.good')}</th>
              <th scope="col" className="num">{t('receipt.damaged')}</th>
            </tr>
          </thead>
          <tbody>
            {po.lines.map((l) => (
              <tr key={l.lineNo} data-sku={l.sku}>
                <th scope="row">{l.sku}</th>
                <td className="num">{l.ordered}</td>
                <td className="num">{l.incoming}</td>
                {(['good', 'damaged'] as const).map((kind) => (
                  <td className="num" key={kind}>
                    <input
                      className="qty"
                      type="number"
                      min={0}
                      step={1}
                      inputMode="numeric"
                      aria-label={t(kind === 'good' ? 'receiving.goodFor' : 'receiving.damagedFor', { sku: l.sku })}
                      value={counts[l.sku]?.[kind] ?? ''}
                      onChange={(e) => set(l.sku, kind, e.target.value)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p className="small muted">{t('receiving.damagedHint')}</p>
      {badCount && (
        <p className="field-error" role="alert">
          {t('receiving.wholeNumbers')}
        </p>
      )}
      {over || force ? (
        <div className={over ? 'error' : 'notice'} role={over ? 'alert' : undefined}>
          {over && (
            <>
              <p>
                <strong>{t('error.OVER_RECEIPT')}</strong>
              </p>
              <ul>
                {over.map((l) => (
                  <li key={l.sku}>{t('receiving.overLine', { sku: l.sku, received: l.received, outstanding: l.outstanding })}</li>
                ))}
              </ul>
            </>
          )}
          <label className="check">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            {t('receiving.acceptMore')}
          </label>
        </div>
      ) : (
        receive.error && <ErrorMessage error={receive.error} />
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={receive.isPending || lines.length === 0 || badCount}>
          {receive.isPending ? t('common.saving') : t('receiving.submit')}
        </button>
        <button type="button" onClick={fillAll}>
          {t('receiving.fillAll')}
        </button>
      </div>
    </form>
  );
}
