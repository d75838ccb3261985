import type { OfferBreakdown, OfferLineTerm } from '../../api/types';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { Link } from '../../shell/router';
import { SidePanel } from '../../ui/side-panel';
import { useOfferBreakdown } from './offer-queries';

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** One summand of the offered number: every `data-term` in the panel together add up to it. */
function Term({ label, value, note }: { label: string; value: number; note?: string }) {
  return (
    <tr>
      <th scope="row">
        {label}
        {note && <span className="muted small term-note">{note}</span>}
      </th>
      <td className="num" data-term={value}>
        {signed(value)}
      </td>
    </tr>
  );
}

function Subtotal({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <tr className="subtotal">
      <th scope="row">{label}</th>
      <td className="num" data-testid={testId}>
        {value}
      </td>
    </tr>
  );
}

/** R7, first term: max(0, Σ available at the channel's locations − safety buffer); nothing for a pre-order (R14). */
function StockTerms({ b }: { b: OfferBreakdown }) {
  const { t } = useI18n();
  const p = b.physical;
  const floor = p.units - (p.available - p.safetyBuffer);
  return (
    <table className="terms">
      <caption>{t('breakdown.fromStock')}</caption>
      <tbody>
        {p.locations.length === 0 && <Term label={t('breakdown.noLocations')} value={0} />}
        {p.locations.map((l) => (
          <Term key={l.location} label={t('breakdown.availableAt', { location: l.location })} value={l.available} />
        ))}
        <Term label={t('breakdown.safetyBuffer')} note={t(`breakdown.bufferFrom.${p.safetyBufferFrom}`)} value={-p.safetyBuffer} />
        {floor !== 0 && <Term label={p.preorder ? t('breakdown.preorderStock') : t('breakdown.notBelowZero')} value={floor} />}
        <Subtotal label={t('breakdown.stockTotal')} value={p.units} testId="stock-units" />
      </tbody>
    </table>
  );
}

function windowText(b: OfferBreakdown, t: (key: MessageKey, vars?: Record<string, string | number>) => string, formatDate: (iso: string) => string, formatNumber: (n: number) => string): string {
  const w = b.incoming.window;
  if (b.incoming.preorderOpensDaysBefore !== null) return t('breakdown.window.preorder', { days: b.incoming.preorderOpensDaysBefore });
  if (w.kind === 'none' || w.endsOn === null) return t('breakdown.window.none');
  if (w.kind === 'days' && w.multiplier !== null) return t('breakdown.window.seasonDays', { days: w.days ?? 0, multiplier: formatNumber(w.multiplier), effective: w.effectiveDays ?? 0, date: formatDate(w.endsOn) });
  if (w.kind === 'days') return t('breakdown.window.days', { days: w.days ?? 0, date: formatDate(w.endsOn) });
  return t('breakdown.window.shipment', { date: formatDate(w.endsOn) });
}

/** Why the incoming offer is what it is, before its lines: R1's switches, R9's pause, the window, season and R8's cap. */
function IncomingFacts({ b }: { b: OfferBreakdown }) {
  const { t, tn, formatDate, formatDateTime, formatNumber } = useI18n();
  const i = b.incoming;
  return (
    <>
      {!i.backordersAllowed && i.notAllowedBy && (
        <p className="notice" data-testid="backorders-off">
          {t(`breakdown.notAllowed.${i.notAllowedBy}`)}
        </p>
      )}
      {i.paused && (
        <p className="notice" data-testid="paused">
          {t('breakdown.paused', { until: formatDateTime(i.paused.until) })}
          {' '}
          <Link to={`/alerts/${encodeURIComponent(i.paused.alertId)}`}>{t('alerts.seeSpike')}</Link>
        </p>
      )}
      <dl className="facts compact">
        <div>
          <dt>{t('breakdown.window')}</dt>
          <dd data-testid="window">{windowText(b, t, formatDate, formatNumber)}</dd>
        </div>
        <div>
          <dt>{t('breakdown.season')}</dt>
          <dd>{i.season ?? t('common.none')}</dd>
        </div>
        <div>
          <dt>{t('breakdown.dailySales')}</dt>
          <dd>{i.dailySales}</dd>
        </div>
        <div>
          <dt>{t('breakdown.gradeCap')}</dt>
          <dd data-testid="grade-cap">
            {i.gradeCap === null || i.gradeCapDays === null
              ? t('breakdown.noCap')
              : t('breakdown.gradeCapValue', { days: formatNumber(i.gradeCapDays), daily: formatNumber(i.dailySales), cap: tn('breakdown.units', i.gradeCap) })}
          </dd>
        </div>
        <div>
          <dt>{t('breakdown.erraticFactor')}</dt>
          <dd>× {formatNumber(i.erraticFactor)}</dd>
        </div>
      </dl>
    </>
  );
}

/** How one purchase-order line gets from its incoming units to what it adds: capacity, share, allotment, promised. */
function lineNote(l: OfferLineTerm, factor: number, t: (key: MessageKey, vars?: Record<string, string | number>) => string, formatDate: (iso: string) => string, formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string): string {
  const parts = [
    t('breakdown.line.arrives', { date: formatDate(l.arrivalDate), supplier: l.supplier, grade: t(`breakdown.grade.${l.grade}`) }),
    l.erratic
      ? t('breakdown.line.erraticRatio', { incoming: l.incoming, base: formatNumber(l.baseRatio), source: t(`breakdown.ratioFrom.${l.ratioSource}`), factor: formatNumber(factor), capacity: l.uncapped })
      : t('breakdown.line.capacity', { incoming: l.incoming, ratio: formatNumber(l.ratio), source: t(`breakdown.ratioFrom.${l.ratioSource}`), capacity: l.uncapped }),
  ];
  if (l.gradeCapped) parts.push(t('breakdown.line.gradeCapped', { uncapped: l.uncapped, capacity: l.capacity }));
  parts.push(
    t('breakdown.line.share', { share: formatNumber(l.share * 100, { maximumFractionDigits: 1 }), allotment: l.allotment, promised: l.promisedToChannel }),
  );
  if (l.excluded) parts.push(t(`breakdown.excluded.${l.excluded}`));
  return parts.join(' · ');
}

function IncomingTerms({ b }: { b: OfferBreakdown }) {
  const { t, formatDate, formatNumber } = useI18n();
  const lines = b.incoming.lines;
  return (
    <table className="terms">
      <caption>{t('breakdown.fromIncoming')}</caption>
      <tbody>
        {lines.length === 0 && (
          <tr>
            <td colSpan={2} className="muted">
              {t('breakdown.noLines')}
            </td>
          </tr>
        )}
        {lines.map((l) => (
          <Term key={`${l.purchaseOrderId}-${l.lineNo}`} label={t('breakdown.line', { po: l.purchaseOrder, location: l.location })} note={lineNote(l, b.incoming.erraticFactor, t, formatDate, formatNumber)} value={l.units} />
        ))}
        <Subtotal label={t('breakdown.incomingTotal')} value={b.incoming.units} testId="incoming-units" />
      </tbody>
    </table>
  );
}

/** GET /v1/offered-stock/{channel}/{sku}: the number computed now, term by term, and how the terms add up (R7). */
export function OfferBreakdownPanel({ channel, sku, channelName, onClose }: { channel: string; sku: string; channelName: string; onClose(): void }) {
  const { t, formatDateTime } = useI18n();
  const breakdown = useOfferBreakdown(channel, sku);
  const b = breakdown.data;
  return (
    <SidePanel title={t('breakdown.title', { sku, channel: channelName })} onClose={onClose} testId="breakdown">
      {breakdown.isPending ? (
        <Loading />
      ) : breakdown.isError ? (
        <ErrorMessage error={breakdown.error} onRetry={() => void breakdown.refetch()} />
      ) : (
        b && (
          <>
            <p className="equation" data-testid="equation">
              <span>{t('breakdown.offered')}</span> <strong data-testid="breakdown-offered">{b.offered}</strong> ={' '}
              {t('breakdown.equation', { stock: b.physical.units, incoming: b.incoming.units })}
            </p>
            <p className="muted small">{t('breakdown.computedAt', { at: formatDateTime(b.computedAt) })}</p>
            <StockTerms b={b} />
            <IncomingFacts b={b} />
            <IncomingTerms b={b} />
          </>
        )
      )}
    </SidePanel>
  );
}
