/**
 * A fresh Idempotency-Key for one intended write (README: Retries). A form keeps its key until
 * the write succeeds, so pressing submit again after a lost answer replays the stored response
 * instead of receiving or adjusting twice. getRandomValues works without a secure context,
 * unlike crypto.randomUUID, so a dashboard served over plain http on a LAN address works too.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
