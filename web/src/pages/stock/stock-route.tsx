import type { PageProps } from '../../shell/pages';
import { StockDetailPage } from './stock-detail-page';
import { StockPage } from './stock-page';

/** `/stock` lists every SKU's quantities, `/stock/<sku>` one SKU with its ledger. */
export function StockRoute({ rest }: PageProps) {
  const sku = rest.replace(/^\//, '');
  return sku ? <StockDetailPage sku={decodeURIComponent(sku)} /> : <StockPage />;
}
