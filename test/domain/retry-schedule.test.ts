import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOf, retryDelayMs } from '../../src/domain/retry-schedule.js';

/**
 * R12: a failed delivery is retried with exponential back-off and jitter: 5 s doubling per
 * attempt, at most an hour, each wait between half and all of that ceiling.
 */
const HOUR = 3_600_000;
const ceiling = (attempt: number) => Math.min(HOUR, 5_000 * 2 ** (attempt - 1));

describe('R12: retry back-off', () => {
  it('the ceiling doubles per attempt from 5 s: random 1 reaches it, random 0 waits half of it', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 0))).toEqual([2_500, 5_000, 10_000, 20_000, 40_000]);
  });

  it('every wait lies within [ceiling/2, ceiling] for any attempt and any random in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const d = retryDelayMs(attempt, random);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(ceiling(attempt) / 2);
        expect(d).toBeLessThanOrEqual(ceiling(attempt));
      }),
    );
  });

  it('grows with the attempt for the same jitter (never shrinks)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        expect(retryDelayMs(attempt + 1, random)).toBeGreaterThanOrEqual(retryDelayMs(attempt, random));
      }),
    );
  });

  it('is capped at one hour, also for absurd attempt numbers', () => {
    // 5 s · 2^10 = 5,120 s > 1 h: from attempt 11 on the ceiling is the cap.
    expect(retryDelayMs(10, 1)).toBe(2_560_000);
    for (const attempt of [11, 12, 50, 1_000, 10_000]) {
      expect(retryDelayMs(attempt, 1)).toBe(HOUR);
      expect(retryDelayMs(attempt, 0)).toBe(HOUR / 2);
    }
  });

  it('a random outside [0, 1] is clamped, never below half or above the ceiling', () => {
    expect(retryDelayMs(1, -5)).toBe(2_500);
    expect(retryDelayMs(1, 7)).toBe(5_000);
    expect(retryDelayMs(0, 0.5)).toBe(retryDelayMs(1, 0.5));
  });
});

describe('R12: what an HTTP answer means for a delivery', () => {
  it('2xx is delivered', () => {
    for (const s of [200, 201, 202, 204, 299]) expect(outcomeOf(s), String(s)).toEqual({ kind: 'delivered' });
  });

  it('410 Gone means the receiver is gone (the subscription is disabled)', () => {
    expect(outcomeOf(410)).toEqual({ kind: 'gone' });
  });

  it('no answer, 1xx, 3xx (redirects are not followed), other 4xx and 5xx are failures to retry', () => {
    for (const s of [null, 100, 199, 300, 301, 302, 307, 308, 400, 401, 404, 409, 429, 500, 502, 503, 504]) expect(outcomeOf(s), String(s)).toEqual({ kind: 'failed' });
  });
});
