import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The box a wide table scrolls sideways in, with a shadow at each edge that has more columns
 * behind it, so a cut-off table says so; the first column stays put while it scrolls (issue 7).
 */
export function TableWrap({ children, className }: { children: ReactNode; className?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ left: false, right: false });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setEdges((old) => (old.left === left && old.right === right ? old : { left, right }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    if (el.firstElementChild) resize.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, []);
  return (
    <div className="table-scroll" data-more-left={edges.left || undefined} data-more-right={edges.right || undefined}>
      <div ref={box} className={className ? `table-wrap ${className}` : 'table-wrap'}>
        {children}
      </div>
    </div>
  );
}
