import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { FilterTabs } from '../../ui/filter-tabs';
import { LoadMore } from '../../ui/load-more';
import { Loading } from '../../ui/loading';
import { useChannels } from '../../api/channel-queries';
import { TableWrap } from '../../ui/table-wrap';
import { useSettings } from '../settings/settings-queries';
import { SUGGESTION_STATUSES, useDecide, usePriceSuggestions, type PriceSuggestion, type SuggestionStatus } from './price-suggestion-queries';

const signedPercent = (n: number) => (n > 0 ? `+${n} %` : `−${-n} %`);

/** Why, in the reader's language, from the figures the rule looked at (R13). */
function useReason() {
  const { t } = useI18n();
  return (s: PriceSuggestion) =>
    s.rule === 'low_stock_arrival_soon'
      ? t('prices.reason.low_stock_arrival_soon', { days: s.figures.daysOfSales ?? 0, arrival: s.figures.daysToArrival ?? 0 })
      : t('prices.reason.selling_from_incoming', { offered: s.figures.offered ?? 0 });
}

function SuggestionTable({ items }: { items: readonly PriceSuggestion[] }) {
  const { t, language } = useI18n();
  const { canWrite } = useSession();
  const decide = useDecide();
  const reason = useReason();
  const currency = useSettings().data?.currency;
  const channels = useChannels().data?.items ?? [];
  const channelName = (code: string) => channels.find((c) => c.code === code)?.name ?? code;
  const money = new Intl.NumberFormat(language, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const decidable = canWrite && items.some((s) => s.status === 'open');
  return (
    <>
      {decide.isError && <ErrorMessage error={decide.error} />}
      <TableWrap>
        <table aria-labelledby="prices-title" className="prices-table">
          <thead>
            <tr>
              <th scope="col">{t('prices.col.sku')}</th>
              <th scope="col">{t('prices.col.channel')}</th>
              <th scope="col" className="num">
                {t('prices.col.price')}
              </th>
              <th scope="col" className="num">
                {t('prices.col.suggested')}
              </th>
              <th scope="col" className="num">
                {t('prices.col.change')}
              </th>
              <th scope="col">{t('prices.col.reason')}</th>
              {decidable && <th scope="col">{t('prices.col.decision')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-suggestion={s.id}>
                <td className="price-sku">
                  <Link to={`/offered-stock?q=${encodeURIComponent(s.sku)}`}>{s.sku}</Link>
                </td>
                <td data-channel={s.channel}>{channelName(s.channel)}</td>
                <td className="num">{money.format(s.price)}</td>
                <td className="num">
                  <strong>{money.format(s.suggestedPrice)}</strong>
                </td>
                <td className="num">
                  <span className={`badge ${s.percent > 0 ? 'ok' : 'warn'}`}>{signedPercent(s.percent)}</span>
                </td>
                <td className="price-reason">{reason(s)}</td>
                {decidable && (
                  <td>
                    {s.status === 'open' && (
                      <span className="row-actions">
                        <button type="button" className="primary" disabled={decide.isPending} onClick={() => decide.mutate({ id: s.id, decision: 'accept' })}>
                          {t('prices.accept')}
                        </button>
                        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: s.id, decision: 'dismiss' })}>
                          {t('prices.dismiss')}
                        </button>
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** `/price-suggestions` (R13): per channel and SKU, a price to raise or lower, for a person to accept or dismiss. */
export function PriceSuggestionsPage({ search }: { search: URLSearchParams }) {
  const { t } = useI18n();
  const status = (SUGGESTION_STATUSES as readonly string[]).includes(search.get('status') ?? '') ? (search.get('status') as SuggestionStatus) : 'open';
  const suggestions = usePriceSuggestions(status);
  const items = suggestions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 id="prices-title">{t('prices.title')}</h1>
      <p className="muted page-intro">{t('prices.intro')}</p>
      <FilterTabs
        values={SUGGESTION_STATUSES}
        value={status}
        label={(s) => t(`prices.status.${s}`)}
        ariaLabel={t('prices.tabs')}
        panelId="prices-panel"
        onChange={(s) => navigate(s === 'open' ? '/price-suggestions' : `/price-suggestions?status=${s}`, { replace: true })}
      />
      <section id="prices-panel" role="tabpanel" aria-busy={suggestions.isFetching}>
        {suggestions.isPending ? (
          <Loading />
        ) : suggestions.isError ? (
          <ErrorMessage error={suggestions.error} onRetry={() => void suggestions.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t(`prices.empty.${status}`)}</EmptyState>
        ) : (
          <>
            <SuggestionTable items={items} />
            <LoadMore query={suggestions} />
          </>
        )}
      </section>
    </>
  );
}
