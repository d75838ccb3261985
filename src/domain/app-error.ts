/**
 * The one error type of the domain and services. `code` is stable and documented; the HTTP
 * status for each code is chosen in exactly one place (src/api/error-handler.ts).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'ROUTE_NOT_FOUND'
  | 'NOT_FOUND'
  | 'UNKNOWN_SKU'
  | 'UNKNOWN_CHANNEL'
  | 'UNKNOWN_LOCATION'
  | 'UNKNOWN_CUSTOMER'
  | 'DUPLICATE_SKU'
  | 'DUPLICATE_CODE'
  | 'ORDER_CONFLICT'
  | 'INSUFFICIENT_STOCK'
  | 'STOCK_WOULD_GO_NEGATIVE'
  | 'INVALID_TRANSITION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'INVALID_CURSOR'
  | 'LAST_ADMIN_KEY'
  | 'UNKNOWN_SUPPLIER'
  | 'DUPLICATE_SUPPLIER'
  | 'DUPLICATE_PO_NUMBER'
  | 'SKU_NOT_ON_PURCHASE_ORDER'
  | 'PURCHASE_ORDER_NOT_RECEIVABLE'
  | 'OVER_RECEIPT'
  | 'SHARES_OVER_ONE'
  | 'INVALID_SEASON'
  | 'INVALID_DATE_RANGE'
  | 'DUPLICATE_SEASON'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_MESSAGE_KIND'
  | 'UNKNOWN_LOCALE'
  | 'TEMPLATE_SYNTAX'
  | 'TEMPLATE_VARIABLE_UNKNOWN'
  | 'TEMPLATE_VARIABLE_MISSING'
  | 'WEBHOOK_TARGET_REFUSED'
  | 'SERVICE_BUSY';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}
