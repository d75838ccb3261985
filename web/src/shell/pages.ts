import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/en';
import { AlertsRoute } from '../pages/alerts/alerts-route';
import { OpenAlertsBadge } from '../pages/alerts/open-alerts-badge';
import { KpisRoute } from '../pages/kpis/kpis-route';
import { OfferedStockPage } from '../pages/offered-stock/offered-stock-page';
import { OrdersRoute } from '../pages/orders/orders-route';
import { SettingsPage } from '../pages/settings/settings-page';
import { PriceSuggestionsPage } from '../pages/price-suggestions/price-suggestions-page';
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
  /** Shown next to the label in the nav, e.g. the number of open alerts. */
  readonly badge?: ComponentType;
}

/**
 * The nav, one entry per page, in the order the operations team works (issue 7); each page is
 * `web/src/pages/<name>/` with its route component.
 */
export const PAGES: readonly DashboardPage[] = [
  { path: '/orders', label: 'nav.orders', component: OrdersRoute },
  { path: '/alerts', label: 'nav.alerts', component: AlertsRoute, badge: OpenAlertsBadge },
  { path: '/purchase-orders', label: 'nav.purchaseOrders', component: PurchaseOrdersRoute },
  { path: '/stock', label: 'nav.stock', component: StockRoute },
  { path: '/offered-stock', label: 'nav.offeredStock', component: OfferedStockPage },
  { path: '/price-suggestions', label: 'nav.priceSuggestions', component: PriceSuggestionsPage },
  { path: '/suppliers', label: 'nav.suppliers', component: SuppliersRoute },
  { path: '/kpis', label: 'nav.kpis', component: KpisRoute },
  { path: '/settings', label: 'nav.settings', component: SettingsPage },
];

export function pageFor(path: string): { page: DashboardPage; rest: string } | null {
  for (const page of PAGES) {
    if (path === page.path || path.startsWith(page.path + '/')) return { page, rest: path.slice(page.path.length) };
  }
  return null;
}
