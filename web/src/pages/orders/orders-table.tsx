import type { KeyboardEvent, ReactNode } from 'react';
import type { PartStatus } from '../../api/types';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import type { OrderRow } from './order-rows';
import { TableWrap } from '../../ui/table-wrap';

interface Column {
  readonly header: MessageKey;
  readonly numeric?: boolean;
  /** Dates and codes read badly broken over lines. */
  readonly nowrap?: boolean;
  /** Left out on a tablet (≤ 900 px) so the rest fits; the order's page still shows it. */
  readonly secondary?: boolean;
  cell(row: OrderRow): ReactNode;
}

type Cells = ReturnType<typeof useCells>;

/** The columns that matter per tab (issue 7); Backorder shows the promise and what threatens it. */
function columnsFor(status: PartStatus, c: Cells): Column[] {
  // The channel sits under the order number and the units in the items, so a tab fits 1280 px.
  const head = [c.order, c.customer];
  switch (status) {
    case 'backorder':
      // What a tablet must show first comes first; the placed day is the days waiting's tooltip.
      return [...head, c.promised, c.daysWaiting, c.oversold, c.atRisk, c.items, c.priority];
    case 'open':
      return [...head, c.placed, c.items, c.location, c.priority];
    case 'processing':
      return [...head, c.placed, c.items, c.location];
    case 'shipped':
      return [...head, c.items, c.shipped, c.tracking];
    case 'cancelled':
      return [...head, c.placed, c.items];
  }
}

function useCells(atRisk: ReadonlySet<string>) {
  const { t, tn, formatDate, formatDateTime } = useI18n();
  const yesNo = (yes: boolean, tone: string) => (yes ? <span className={`badge ${tone}`}>{t('common.yes')}</span> : <span className="muted">{t('common.no')}</span>);
  const shipment = (r: OrderRow) => r.parts.find((p) => p.shipment)?.shipment ?? null;
  return {
    order: {
      header: 'orders.col.order',
      nowrap: true,
      cell: (r) => (
        <>
          <Link to={`/orders/${encodeURIComponent(r.order.id)}`}>{r.order.externalId}</Link>
          <span className="muted small cell-sub" data-testid="order-channel">{r.order.channel}</span>
        </>
      ),
    },
    customer: { header: 'orders.col.customer', cell: (r) => <Email address={r.order.customer.email} title={r.order.customer.id} /> },
    placed: { header: 'orders.col.placed', cell: (r) => formatDateTime(r.order.placedAt) },
    items: {
      header: 'orders.col.items',
      cell: (r) => (
        <ul className="sku-list">
          {r.items.map((item) => (
            <li key={item.sku}>{`${item.qty} × ${item.sku}`}</li>
          ))}
          {r.items.length > 1 && <li className="muted">{tn('part.unitCount', r.units)}</li>}
        </ul>
      ),
    },
    promised: { header: 'orders.col.promised', nowrap: true, cell: (r) => (r.promisedDate ? formatDate(r.promisedDate) : <span className="muted">{t('orders.notPromised')}</span>) },
    daysWaiting: { header: 'orders.col.daysWaiting', numeric: true, cell: (r) => <span title={t('orders.placedOn', { date: formatDateTime(r.order.placedAt) })}>{r.daysWaiting}</span> },
    atRisk: { header: 'orders.col.atRisk', cell: (r) => yesNo(r.parts.some((p) => atRisk.has(p.id)), 'warn') },
    oversold: { header: 'orders.col.oversold', cell: (r) => yesNo(r.oversold, 'danger') },
    priority: { header: 'orders.col.priority', numeric: true, secondary: true, cell: (r) => r.order.priority },
    location: { header: 'orders.col.location', secondary: true, cell: (r) => r.locations || t('common.none') },
    shipped: { header: 'orders.col.shipped', nowrap: true, cell: (r) => { const s = shipment(r); return s ? formatDateTime(s.shippedAt) : t('common.none'); } },
    tracking: { header: 'orders.col.tracking', cell: (r) => { const s = shipment(r); return s ? [s.carrier, s.trackingNumber].filter(Boolean).join(' ') || t('common.none') : t('common.none'); } },
  } satisfies Record<string, Column>;
}

/** An address that wraps at its @ rather than anywhere, so a narrow column reads "buyer / @example.nl". */
function Email({ address, title }: { address: string; title: string }) {
  const at = address.indexOf('@');
  return (
    <span title={title}>
      {at > 0 ? (
        <>
          {address.slice(0, at)}
          <wbr />
          {address.slice(at)}
        </>
      ) : (
        address
      )}
    </span>
  );
}

/** Up and down arrows move between the rows' order links, so the table is usable without a mouse. */
function moveBetweenRows(event: KeyboardEvent<HTMLTableSectionElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const row = (event.target as HTMLElement).closest('tr');
  const next = event.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling;
  const link = next?.querySelector<HTMLElement>('a, button');
  if (!link) return;
  event.preventDefault();
  link.focus();
}

export function OrdersTable({ status, rows, atRisk, labelledBy }: { status: PartStatus; rows: readonly OrderRow[]; atRisk: ReadonlySet<string>; labelledBy: string }) {
  const { t } = useI18n();
  const columns = columnsFor(status, useCells(atRisk));
  return (
    <TableWrap>
      <table className="orders-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={[c.numeric && 'num', c.secondary && 'secondary-col'].filter(Boolean).join(' ') || undefined}>
                {t(c.header)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={moveBetweenRows}>
          {rows.map((row) => (
            <tr key={row.order.id} data-order={row.order.externalId}>
              {columns.map((c) => (
                <td key={c.header} className={[c.numeric && 'num', c.nowrap && 'nowrap', c.secondary && 'secondary-col'].filter(Boolean).join(' ') || undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
