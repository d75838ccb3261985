import { useEffect, useRef, useState } from 'react';
import type { AllocationRule } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { SaveStatus } from '../../ui/save-status';
import { usePatchSettings } from './settings-queries';

const RULES: readonly AllocationRule[] = ['fifo', 'channel_priority', 'customer_tier', 'proximity'];

/**
 * R6: the rules that decide which waiting order gets arriving stock first, applied in this order.
 * Up and down buttons reorder them (keyboard and screen reader friendly); focus follows the rule moved.
 */
export function AllocationPolicy({ policy, canEdit }: { policy: readonly AllocationRule[]; canEdit: boolean }) {
  const { t } = useI18n();
  const save = usePatchSettings();
  const [rules, setRules] = useState<AllocationRule[]>([...policy]);
  const [adding, setAdding] = useState<AllocationRule | ''>('');
  const focusAfter = useRef<{ rule: AllocationRule; button: 'up' | 'down' } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const f = focusAfter.current;
    if (!f) return;
    focusAfter.current = null;
    const item = list.current?.querySelector(`[data-rule="${f.rule}"]`);
    const button = item?.querySelector<HTMLButtonElement>(`button[data-move="${f.button}"]:not(:disabled)`) ?? item?.querySelector<HTMLButtonElement>('button[data-move]:not(:disabled)');
    button?.focus();
  }, [rules]);

  const move = (i: number, by: -1 | 1) => {
    const next = [...rules];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    focusAfter.current = { rule: rules[i]!, button: by < 0 ? 'up' : 'down' };
    setRules(next);
  };
  const missing = RULES.filter((r) => !rules.includes(r));
  return (
    <section className="card settings-form" aria-labelledby="settings-policy">
      <h2 id="settings-policy">{t('settings.policy')}</h2>
      <p className="muted small hint">{t('settings.policyHint')}</p>
      <ol className="policy" ref={list} data-testid="policy">
        {rules.map((rule, i) => (
          <li key={rule} data-rule={rule}>
            <span className="policy-rank">{i + 1}</span>
            <span className="policy-text">
              <strong>{t(`policy.${rule}`)}</strong>
              <span className="muted small">{t(`policy.${rule}.hint`)}</span>
            </span>
            {canEdit && (
              <span className="policy-actions">
                <button type="button" data-move="up" disabled={i === 0} aria-label={t('settings.moveUp', { rule: t(`policy.${rule}`) })} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button type="button" data-move="down" disabled={i === rules.length - 1} aria-label={t('settings.moveDown', { rule: t(`policy.${rule}`) })} onClick={() => move(i, 1)}>
                  ↓
                </button>
                <button type="button" disabled={rules.length === 1} aria-label={t('settings.removeRule', { rule: t(`policy.${rule}`) })} onClick={() => setRules(rules.filter((r) => r !== rule))}>
                  ✕
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {canEdit && (
        <div className="form-actions">
          {missing.length > 0 && (
            <>
              <label htmlFor="add-rule" className="sr-only">
                {t('settings.addRule')}
              </label>
              <select id="add-rule" value={adding} onChange={(e) => setAdding(e.target.value as AllocationRule | '')}>
                <option value="">{t('settings.addRule')}</option>
                {missing.map((r) => (
                  <option key={r} value={r}>
                    {t(`policy.${r}`)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={adding === ''}
                onClick={() => {
                  if (adding) setRules([...rules, adding]);
                  setAdding('');
                }}
              >
                {t('settings.add')}
              </button>
            </>
          )}
          <button type="button" className="primary" disabled={save.isPending} onClick={() => save.mutate({ allocationPolicy: rules })}>
            {t('settings.savePolicy')}
          </button>
          <SaveStatus mutation={save} />
        </div>
      )}
    </section>
  );
}
