import type { PageProps } from '../../shell/pages';
import { SupplierDetailPage } from './supplier-detail-page';
import { SuppliersPage } from './suppliers-page';

/** `/suppliers` lists them with their reliability, `/suppliers/<id>` one with its delays over time. */
export function SuppliersRoute({ rest }: PageProps) {
  const id = rest.replace(/^\//, '');
  return id ? <SupplierDetailPage id={decodeURIComponent(id)} /> : <SuppliersPage />;
}
