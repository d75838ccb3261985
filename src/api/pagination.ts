import { AppError } from '../domain/app-error.js';

/** The lists that page with cursors; a cursor from one list is refused by every other. */
export type CursorList = 'products' | 'customers' | 'orders' | 'stock' | 'movements' | 'movements-newest' | 'events' | 'alerts' | 'purchase-orders' | 'offered-stock' | 'offered-stock-changes' | 'offered-stock-by-sku' | 'webhook-deliveries' | 'kpis' | 'price-suggestions';

/** Cursors are opaque to clients: the list's name and the last key of the page, base64url. */
export function encodeCursor(list: CursorList, key: string | null): string | null {
  return key === null ? null : Buffer.from(`${list}:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(list: CursorList, cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(`${list}:`) ? text.slice(list.length + 1) : '';
  if (key.length === 0 || key.length > 120 || !/^[\x20-\x7e]+$/.test(key) || encodeCursor(list, key) !== cursor) {
    throw new AppError('INVALID_CURSOR', `The cursor is not one this list (${list}) returned; start without one.`);
  }
  return key;
}
