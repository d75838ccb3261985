import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * A modal panel at the right edge: a native <dialog>, so focus stays inside it, Escape closes it
 * and focus goes back to what opened it. Closing (Escape, the button, a click beside it) calls `onClose`.
 */
export function SidePanel({ title, onClose, children, testId }: { title: ReactNode; onClose(): void; children: ReactNode; testId?: string }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="side-panel"
      aria-labelledby="side-panel-title"
      data-testid={testId}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === dialog.current) dialog.current.close();
      }}
    >
      <div className="side-panel-body">
        <header className="side-panel-head">
          <h2 id="side-panel-title">{title}</h2>
          <button type="button" className="ghost" onClick={() => dialog.current?.close()}>
            {t('common.close')}
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
