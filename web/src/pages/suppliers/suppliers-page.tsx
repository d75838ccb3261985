import { useI18n } from '../../i18n/i18n';
import { Link } from '../../shell/router';
import { EmptyState } from '../../ui/empty-state';
import { ErrorMessage } from '../../ui/error-message';
import { Loading } from '../../ui/loading';
import { GradeBadge } from './grade-badge';
import { formatReliability } from './reliability-format';
import { useSuppliers } from './supplier-queries';
import { TableWrap } from '../../ui/table-wrap';
import { useSession } from '../../session/session';
import { SupplierForm } from './supplier-form';

/** R8: every supplier with how reliably it delivers; the grade decides how much incoming may be sold (R7). */
export function SuppliersPage() {
  const { t, formatNumber } = useI18n();
  const suppliers = useSuppliers();
  const { canWrite } = useSession();
  return (
    <>
      <h1 id="suppliers-title">{t('suppliers.title')}</h1>
      <p className="muted">{t('suppliers.intro')}</p>
      {suppliers.isPending ? (
        <Loading />
      ) : suppliers.isError ? (
        <ErrorMessage error={suppliers.error} onRetry={() => void suppliers.refetch()} />
      ) : suppliers.data.items.length === 0 ? (
        <EmptyState>{t('suppliers.empty')}</EmptyState>
      ) : (
        <TableWrap>
          <table aria-labelledby="suppliers-title">
            <thead>
              <tr>
                <th scope="col">{t('suppliers.col.name')}</th>
                <th scope="col">{t('suppliers.col.grade')}</th>
                <th scope="col" className="num">{t('suppliers.col.leadTime')}</th>
                <th scope="col" className="num">{t('suppliers.col.deliveries')}</th>
                <th scope="col" className="num">{t('suppliers.col.onTime')}</th>
                <th scope="col" className="num">{t('suppliers.col.meanDelay')}</th>
                <th scope="col" className="num">{t('suppliers.col.stdDev')}</th>
                <th scope="col" className="num">{t('suppliers.col.p80')}</th>
              </tr>
            </thead>
            <tbody>
              {suppliers.data.items.map((s) => {
                const f = formatReliability(s.reliability, t, formatNumber);
                return (
                  <tr key={s.id} data-supplier={s.name}>
                    <td>
                      <Link to={`/suppliers/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                    </td>
                    <td>
                      <GradeBadge grade={s.reliability.grade} />
                    </td>
                    <td className="num">{t('suppliers.days', { n: s.leadTimeDays })}</td>
                    <td className="num">{s.reliability.deliveries}</td>
                    <td className="num">{f.onTime}</td>
                    <td className="num">{f.mean}</td>
                    <td className="num">{f.stdDev}</td>
                    <td className="num">{f.p80}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canWrite && <SupplierForm />}
    </>
  );
}
