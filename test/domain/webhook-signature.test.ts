import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_AGE_SECONDS, signature, verifySignature } from '../../src/domain/webhook-signature.js';

/**
 * R12: a delivery carries `Stockbridge-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`;
 * the documented verifier accepts exactly what was signed with the secret and refuses a
 * signature older than five minutes.
 */
const secret = 'whsec_test-secret';
const body = JSON.stringify({ id: 'evt_1', type: 'order.created', payload: { orderId: 'ord_1', qty: 3 } });
const t = 1_800_000_000;

/** Flips the lowest bit of the byte at `index` (a character of an ASCII string). */
const flip = (s: string, index: number) => s.slice(0, index) + String.fromCharCode(s.charCodeAt(index) ^ 1) + s.slice(index + 1);

describe('R12: webhook signatures', () => {
  it('signs "t.body" with HMAC-SHA256 in the documented header format', () => {
    const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signature(secret, body, t)).toBe(`t=${t},v1=${mac}`);
  });

  it('round trip: what was signed verifies with the same secret', () => {
    expect(verifySignature(signature(secret, body, t), body, secret, t)).toEqual({ ok: true });
  });

  it('a flipped byte anywhere in the body fails as a mismatch', () => {
    const header = signature(secret, body, t);
    for (const i of [0, Math.floor(body.length / 2), body.length - 1]) {
      expect(verifySignature(header, flip(body, i), secret, t)).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('a flipped byte in the MAC fails as a mismatch', () => {
    const header = signature(secret, body, t);
    const macStart = header.indexOf('v1=') + 3;
    for (const i of [macStart, macStart + 31, header.length - 1]) {
      // One hex digit for another: the header stays well formed, only the MAC is wrong.
      const c = header[i]!;
      const other = c === '0' ? '1' : '0';
      const tampered = header.slice(0, i) + other + header.slice(i + 1);
      expect(verifySignature(tampered, body, secret, t)).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('another secret or another timestamp in the header fails as a mismatch', () => {
    const header = signature(secret, body, t);
    expect(verifySignature(header, body, 'whsec_other', t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header.replace(`t=${t}`, `t=${t + 1}`), body, secret, t)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a 301-second-old timestamp as too old and accepts 299 and 300 seconds', () => {
    expect(MAX_AGE_SECONDS).toBe(300);
    const header = signature(secret, body, t);
    expect(verifySignature(header, body, secret, t + 301)).toEqual({ ok: false, reason: 'too_old' });
    expect(verifySignature(header, body, secret, t + 300)).toEqual({ ok: true });
    expect(verifySignature(header, body, secret, t + 299)).toEqual({ ok: true });
  });

  it('refuses a timestamp more than five minutes in the future', () => {
    const header = signature(secret, body, t);
    expect(verifySignature(header, body, secret, t - 301)).toEqual({ ok: false, reason: 'from_the_future' });
    expect(verifySignature(header, body, secret, t - 299)).toEqual({ ok: true });
  });

  it('a too-old signature is refused even when the MAC is right (a replayed capture)', () => {
    expect(verifySignature(signature(secret, body, t), body, secret, t + 3_600)).toEqual({ ok: false, reason: 'too_old' });
  });

  it('refuses malformed headers', () => {
    const mac = signature(secret, body, t).split('v1=')[1]!;
    for (const header of [
      '',
      'garbage',
      `v1=${mac}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=abc,v1=${mac}`,
      `t=${t}.5,v1=${mac}`,
      `t=${t},v1=${mac.slice(0, 63)}`,
      `t=${t},v1=${mac}00`,
      `t=${t},v1=${mac.slice(0, 63)}g`,
      `t=${t},v0=${mac}`,
      // An empty stamp is malformed, not the year 1970 (Number('') is 0).
      `t=,v1=${mac}`,
      `t=-5,v1=${mac}`,
    ]) {
      expect(verifySignature(header, body, secret, t), header).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts the parts in either order and with spaces after the comma', () => {
    const mac = signature(secret, body, t).split('v1=')[1]!;
    expect(verifySignature(`v1=${mac},t=${t}`, body, secret, t)).toEqual({ ok: true });
    expect(verifySignature(`t=${t}, v1=${mac}`, body, secret, t)).toEqual({ ok: true });
  });
});
