import type { KeyboardEvent } from 'react';
import type { ChannelSettings, OfferGridRow } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { TableWrap } from '../../ui/table-wrap';

export interface OpenCell {
  readonly sku: string;
  readonly channel: string;
}

/** Arrow keys move between the cells' buttons as in a spreadsheet; Home and End go to the row's ends. */
function moveBetweenCells(event: KeyboardEvent<HTMLTableSectionElement>) {
  const cell = (event.target as HTMLElement).closest('td');
  const row = cell?.parentElement;
  if (!cell || !row) return;
  const column = [...row.children].indexOf(cell);
  const moves: Record<string, () => Element | null | undefined> = {
    ArrowRight: () => cell.nextElementSibling,
    ArrowLeft: () => cell.previousElementSibling,
    ArrowDown: () => row.nextElementSibling?.children[column],
    ArrowUp: () => row.previousElementSibling?.children[column],
    Home: () => row.children[1],
    End: () => row.lastElementChild,
  };
  const target = moves[event.key]?.();
  const button = target?.querySelector<HTMLElement>('button');
  if (!button) return;
  event.preventDefault();
  button.focus();
}

/** SKUs down, channels across (R7): each cell is what the channel is told it may sell, and opens its breakdown. */
export function OfferGrid({ rows, channels, onOpen }: { rows: readonly OfferGridRow[]; channels: readonly ChannelSettings[]; onOpen(cell: OpenCell): void }) {
  const { t } = useI18n();
  return (
    <TableWrap>
      <table className="offer-grid" aria-labelledby="offered-title" aria-describedby="offered-hint">
        <thead>
          <tr>
            <th scope="col">{t('offers.col.sku')}</th>
            {channels.map((c) => (
              <th key={c.code} scope="col" className="num">
                {c.name}
                {c.name !== c.code && <span className="muted small channel-code">{c.code}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={moveBetweenCells}>
          {rows.map((row) => {
            const byChannel = new Map(row.offers.map((o) => [o.channel, o]));
            return (
              <tr key={row.sku} data-sku={row.sku}>
                <th scope="row">
                  <span className="sku">{row.sku}</span>
                  <span className="muted small product-name">{row.name}</span>
                </th>
                {channels.map((c) => {
                  const offer = byChannel.get(c.code);
                  return (
                    <td key={c.code} className="num" data-channel={c.code}>
                      {offer ? (
                        <button
                          type="button"
                          className={`offer-cell${offer.offered === 0 ? ' zero' : ''}`}
                          aria-label={t('offers.cellLabel', { sku: row.sku, channel: c.name, n: offer.offered })}
                          onClick={() => onOpen({ sku: row.sku, channel: c.code })}
                        >
                          <span className="offered" data-testid="offered">
                            {offer.offered}
                          </span>
                          <span className="muted small split">{t('offers.split', { physical: offer.physical, incoming: offer.incoming })}</span>
                        </button>
                      ) : (
                        <span className="muted">{t('common.none')}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
