import { useState } from 'react';
import type { OrderPart, PartLine } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../ui/error-message';
import { useCancelPart } from './order-queries';
import { TableWrap } from '../../ui/table-wrap';

/** R4: only a part not yet shipped or cancelled can still be cancelled. */
const CANCELLABLE = new Set(['backorder', 'open', 'processing']);

function Source({ line }: { line: PartLine }) {
  const { t, formatDate } = useI18n();
  if (line.location) return <>{t('part.fromLocation', { location: line.location })}</>;
  if (line.oversold) return <span className="badge danger">{t('part.oversold')}</span>;
  if (line.promises.length === 0) return <span className="muted">{t('part.waiting')}</span>;
  return (
    <>
      {line.promises.map((p, i) => (
        <div key={i}>{t('part.fromPo', { qty: p.qty, po: p.purchaseOrder, date: formatDate(p.promisedDate) })}</div>
      ))}
    </>
  );
}

export function PartCard({ orderId, part, n, atRisk }: { orderId: string; part: OrderPart; n: number; atRisk: boolean }) {
  const { t, tn, formatDate, formatDateTime } = useI18n();
  const { canWrite } = useSession();
  const cancel = useCancelPart(orderId);
  const [confirming, setConfirming] = useState(false);
  const units = part.lines.reduce((sum, l) => sum + l.qty, 0);
  return (
    <article className="card part" data-part={part.id} data-status={part.status} aria-labelledby={`part-${part.id}`}>
      <div className="part-head">
        <h3 id={`part-${part.id}`}>{t('order.part', { n })}</h3>
        <span className={`badge status-${part.status}`}>{t(`status.${part.status}`)}</span>
        <span className="muted">{tn('part.unitCount', units)}</span>
        {part.promisedDate && <span>{t('part.promisedFor', { date: formatDate(part.promisedDate) })}</span>}
        {atRisk && <span className="badge warn">{t('part.atRisk')}</span>}
        {part.shipment && (
          <span className="muted">
            {t('part.shipped', { date: formatDateTime(part.shipment.shippedAt) })} {[part.shipment.carrier, part.shipment.trackingNumber].filter(Boolean).join(' ')}
          </span>
        )}
        {canWrite && CANCELLABLE.has(part.status) && (
          <div className="actions">
            {confirming ? (
              <>
                <span role="status">{t('part.confirmCancel')}</span>
                <button type="button" className="danger" autoFocus disabled={cancel.isPending} onClick={() => cancel.mutate(part.id, { onSettled: () => setConfirming(false) })}>
                  {t('part.confirmYes')}
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  {t('part.confirmNo')}
                </button>
              </>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                {t('part.cancel')}
              </button>
            )}
          </div>
        )}
      </div>
      {cancel.error && <ErrorMessage error={cancel.error} />}
      <TableWrap>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('part.sku')}</th>
              <th scope="col" className="num">{t('part.units')}</th>
              <th scope="col">{t('part.source')}</th>
              <th scope="col">{t('part.promised')}</th>
            </tr>
          </thead>
          <tbody>
            {part.lines.map((line, i) => (
              <tr key={i}>
                <td>{line.sku}</td>
                <td className="num">{line.qty}</td>
                <td><Source line={line} /></td>
                <td>{line.promisedDate ? formatDate(line.promisedDate) : t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </article>
  );
}
