import { useRef, type KeyboardEvent } from 'react';

/**
 * A tablist (WAI-ARIA) over a fixed set of values: one tab stop; arrow keys, Home and End move
 * between them. `label` names each tab in the reader's language.
 */
export function FilterTabs<V extends string>({
  values,
  value,
  label,
  ariaLabel,
  panelId,
  onChange,
}: {
  values: readonly V[];
  value: V;
  label(value: V): string;
  ariaLabel: string;
  panelId: string;
  onChange(value: V): void;
}) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const keyDown = (event: KeyboardEvent) => {
    const at = values.indexOf(value);
    const last = values.length - 1;
    const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    onChange(values[to]!);
    tabs.current[to]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={ariaLabel} onKeyDown={keyDown}>
      {values.map((v, i) => (
        <button
          key={v}
          ref={(el) => {
            tabs.current[i] = el;
          }}
          type="button"
          role="tab"
          aria-selected={v === value}
          aria-controls={panelId}
          tabIndex={v === value ? 0 : -1}
          onClick={() => onChange(v)}
        >
          {label(v)}
        </button>
      ))}
    </div>
  );
}
