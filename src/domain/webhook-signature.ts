/**
 * R12: webhook signatures. A delivery carries
 *   Stockbridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * so a receiver can check that the body came from Stockbridge and is recent. Receivers should
 * refuse signatures older than five minutes (a replayed capture). Pure but for the clock it is given.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'stockbridge-signature';
export const MAX_AGE_SECONDS = 300;

export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type Verdict = { ok: true } | { ok: false; reason: 'malformed' | 'too_old' | 'from_the_future' | 'mismatch' };

/** The receiver's check (the README shows the same in a few lines). */
export function verifySignature(header: string, body: string, secret: string, nowSeconds: number, maxAgeSeconds = MAX_AGE_SECONDS): Verdict {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const stamp = parts.get('t') ?? '';
  const t = Number(stamp);
  const v1 = parts.get('v1');
  if (!/^\d{1,12}$/.test(stamp) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  if (nowSeconds - t > maxAgeSeconds) return { ok: false, reason: 'too_old' };
  if (t - nowSeconds > maxAgeSeconds) return { ok: false, reason: 'from_the_future' };
  const expected = Buffer.from(signature(secret, body, t).slice(`t=${t},v1=`.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
