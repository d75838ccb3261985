import { useRef, type KeyboardEvent } from 'react';
import { PART_STATUSES, type PartStatus } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

/** A tablist (WAI-ARIA): one tab stop, arrow keys, Home and End move between the statuses. */
export function StatusTabs({ value, counts, onChange, panelId }: { value: PartStatus; counts: Partial<Record<PartStatus, number>> | undefined; onChange(status: PartStatus): void; panelId: string }) {
  const { t } = useI18n();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const keyDown = (event: KeyboardEvent) => {
    const at = PART_STATUSES.indexOf(value);
    const last = PART_STATUSES.length - 1;
    const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    onChange(PART_STATUSES[to]!);
    tabs.current[to]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={t('orders.tabs')} onKeyDown={keyDown}>
      {PART_STATUSES.map((status, i) => (
        <button
          key={status}
          ref={(el) => {
            tabs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${status}`}
          aria-selected={status === value}
          aria-controls={panelId}
          tabIndex={status === value ? 0 : -1}
          onClick={() => onChange(status)}
        >
          {t(`status.${status}`)}
          <span className="count" data-testid={`count-${status}`}>
            {counts?.[status] ?? '…'}
          </span>
        </button>
      ))}
    </div>
  );
}
