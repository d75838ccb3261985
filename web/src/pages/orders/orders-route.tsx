import type { PageProps } from '../../shell/pages';
import { OrderDetailPage } from './order-detail-page';
import { OrdersPage } from './orders-page';

/** `/orders` is the list, `/orders/<id>` one order. */
export function OrdersRoute({ rest, search }: PageProps) {
  const id = rest.replace(/^\//, '');
  return id ? <OrderDetailPage id={decodeURIComponent(id)} /> : <OrdersPage search={search} />;
}
