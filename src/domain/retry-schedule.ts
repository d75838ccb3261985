/**
 * R12: when a failed delivery is tried again. Exponential back-off from 5 s, doubling per
 * attempt, at most an hour apart, with jitter (each wait is between half and all of that) so
 * that a receiver coming back is not hit by every retry at once. Pure: `random` in [0, 1).
 */
const BASE_MS = 5_000;
const CAP_MS = 3_600_000;

export function retryDelayMs(attempt: number, random: number): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'gone' } | { kind: 'failed' };

/** What an HTTP answer (or none) means: 2xx delivered, 410 the receiver is gone, anything else a failure to retry. */
export function outcomeOf(status: number | null): AttemptOutcome {
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  return { kind: 'failed' };
}
