import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/en';
import { OrdersRoute } from '../pages/orders/orders-route';
import { PurchaseOrdersRoute } from '../pages/purchase-orders/purchase-orders-route';
import { StockRoute } from '../pages/stock/stock-route';
import { SuppliersRoute } from '../pages/suppliers/suppliers-route';

export interface PageProps {
  /** The URL path below the page's own, e.g. `/ord_…` under `/orders`; '' on the page itself. */
  readonly rest: string;
  readonly search: URLSearchParams;
}

export interface DashboardPage {
  readonly path: string;
  readonly label: MessageKey;
  readonly component: ComponentType<PageProps>;
}

/**
 * The nav, one entry per page, in order (issue 7). A page is listed here once it is built:
 * purchase orders and receiving, stock, offered stock, suppliers, KPIs and settings join as
 * they land, each as `web/src/pages/<name>/` with its route component.
 */
export const PAGES: readonly DashboardPage[] = [
  { path: '/orders', label: 'nav.orders', component: OrdersRoute },
  { path: '/purchase-orders', label: 'nav.purchaseOrders', component: PurchaseOrdersRoute },
  { path: '/stock', label: 'nav.stock', component: StockRoute },
  { path: '/suppliers', label: 'nav.suppliers', component: SuppliersRoute },
];

export function pageFor(path: string): { page: DashboardPage; rest: string } | null {
  for (const page of PAGES) {
    if (path === page.path || path.startsWith(page.path + '/')) return { page, rest: path.slice(page.path.length) };
  }
  return null;
}
