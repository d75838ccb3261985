import type { PageProps } from '../../shell/pages';
import { PurchaseOrderDetailPage } from './purchase-order-detail-page';
import { PurchaseOrderForm } from './purchase-order-form';
import { PurchaseOrdersPage } from './purchase-orders-page';
import { ReceiptPage } from './receipt-page';
import { ReceivingPage } from './receiving-page';

/**
 * `/purchase-orders` lists them, `/new` records one, `/<id>` shows one, `/<id>/receive` is the
 * receiving screen and `/<id>/receipts/<receiptId>` a receipt with its cross-dock list.
 */
export function PurchaseOrdersRoute({ rest, search }: PageProps) {
  const [id, sub, receiptId] = rest.replace(/^\//, '').split('/').map(decodeURIComponent);
  if (!id) return <PurchaseOrdersPage search={search} />;
  if (id === 'new') return <PurchaseOrderForm />;
  if (sub === 'receive') return <ReceivingPage id={id} />;
  if (sub === 'receipts' && receiptId) return <ReceiptPage poId={id} receiptId={receiptId} />;
  return <PurchaseOrderDetailPage id={id} />;
}
