import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Link, navigate } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { useCreatePurchaseOrder, useLocations, useProductSuggestions, useSuppliers } from './purchasing-queries';
import { TableWrap } from '../../ui/table-wrap';

interface LineDraft {
  readonly key: number;
  sku: string;
  qty: string;
}

let nextLineKey = 1;
const emptyLine = (): LineDraft => ({ key: nextLineKey++, sku: '', qty: '' });

/** A new purchase order (R5): it is incoming at once, so waiting orders get promised against it (R3). */
export function PurchaseOrderForm() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const suppliers = useSuppliers();
  const locations = useLocations();
  const products = useProductSuggestions();
  const create = useCreatePurchaseOrder();
  const [number, setNumber] = useState('');
  const [supplierId, setSupplierId] = useState('');
  const [location, setLocation] = useState('');
  const [expectedDate, setExpectedDate] = useState('');
  const [lines, setLines] = useState<LineDraft[]>(() => [emptyLine()]);

  const setLine = (key: number, change: Partial<LineDraft>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { number: number.trim(), supplierId, location, expectedDate, lines: lines.map((l) => ({ sku: l.sku.trim(), qty: Number(l.qty) })) },
      { onSuccess: (po) => navigate(`/purchase-orders/${encodeURIComponent(po.id)}`) },
    );
  };

  if (!canWrite) return <EmptyState>{t('po.readOnly')}</EmptyState>;
  return (
    <>
      <p>
        <Link to="/purchase-orders">← {t('po.back')}</Link>
      </p>
      <h1 id="po-new-title">{t('po.new')}</h1>
      <form className="card form" onSubmit={submit} aria-labelledby="po-new-title">
        <div className="form-grid">
          <div>
            <label htmlFor="po-number">{t('po.col.number')}</label>
            <input id="po-number" required maxLength={64} value={number} onChange={(e) => setNumber(e.target.value)} />
          </div>
          <div>
            <label htmlFor="po-supplier">{t('po.col.supplier')}</label>
            <select id="po-supplier" required value={supplierId} onChange={(e) => setSupplierId(e.target.value)}>
              <option value="">{t('po.choose')}</option>
              {suppliers.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="po-location">{t('po.col.location')}</label>
            <select id="po-location" required value={location} onChange={(e) => setLocation(e.target.value)}>
              <option value="">{t('po.choose')}</option>
              {locations.data?.items.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name} ({l.code})
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="po-expected">{t('po.col.expected')}</label>
            <input id="po-expected" type="date" required value={expectedDate} onChange={(e) => setExpectedDate(e.target.value)} />
          </div>
        </div>
        {(suppliers.error ?? locations.error) && <ErrorMessage error={suppliers.error ?? locations.error} />}
        <h2 id="po-lines-title">{t('po.lines')}</h2>
        <datalist id="po-skus">
          {products.data?.items.map((p) => (
            <option key={p.sku} value={p.sku}>
              {p.name}
            </option>
          ))}
        </datalist>
        <TableWrap>
          <table aria-labelledby="po-lines-title" className="form-lines">
            <thead>
              <tr>
                <th scope="col">{t('po.col.sku')}</th>
                <th scope="col" className="num">{t('po.col.qty')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('po.removeLine')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, i) => (
                <tr key={line.key}>
                  <td>
                    <input aria-label={t('po.lineSku', { n: i + 1 })} list="po-skus" required maxLength={100} value={line.sku} onChange={(e) => setLine(line.key, { sku: e.target.value })} />
                  </td>
                  <td className="num">
                    <input aria-label={t('po.lineQty', { n: i + 1 })} type="number" min={1} step={1} required inputMode="numeric" value={line.qty} onChange={(e) => setLine(line.key, { qty: e.target.value })} />
                  </td>
                  <td>
                    <button type="button" className="ghost" disabled={lines.length === 1} aria-label={t('po.removeLineN', { n: i + 1 })} onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))}>
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <p>
          <button type="button" onClick={() => setLines((ls) => [...ls, emptyLine()])}>
            {t('po.addLine')}
          </button>
        </p>
        {create.error && <ErrorMessage error={create.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('po.create')}
          </button>
          <Link to="/purchase-orders">{t('common.cancel')}</Link>
        </div>
      </form>
    </>
  );
}
