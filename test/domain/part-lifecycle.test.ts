import { describe, expect, it } from 'vitest';
import { canTransition, PART_STATUSES, transition, type PartEvent } from '../../src/domain/part-lifecycle.js';
import { backorderAllowed, BACKORDER_POLICIES } from '../../src/domain/backorder-permission.js';

describe('R4: the part lifecycle table', () => {
  it('moves backorder → open → processing → shipped', () => {
    expect(transition('backorder', 'cover')).toBe('open');
    expect(transition('open', 'start_processing')).toBe('processing');
    expect(transition('processing', 'ship')).toBe('shipped');
  });

  it('cancels from every unshipped state and from no other', () => {
    for (const s of PART_STATUSES) {
      expect(canTransition(s, 'cancel')).toBe(s === 'backorder' || s === 'open' || s === 'processing');
    }
  });

  it('refuses everything else with INVALID_TRANSITION', () => {
    const events: PartEvent[] = ['cover', 'start_processing', 'ship', 'cancel'];
    const allowed = new Set(['backorder:cover', 'backorder:cancel', 'open:start_processing', 'open:cancel', 'processing:ship', 'processing:cancel']);
    for (const s of PART_STATUSES)
      for (const e of events) {
        if (allowed.has(`${s}:${e}`)) continue;
        expect(() => transition(s, e)).toThrowError(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
      }
  });
});

describe('R1: a unit may be backordered only when all three switches allow it', () => {
  it('organisation, product policy and channel must all allow', () => {
    for (const organisationEnabled of [true, false])
      for (const productPolicy of BACKORDER_POLICIES)
        for (const channelAccepts of [true, false]) {
          expect(backorderAllowed({ organisationEnabled, productPolicy, channelAccepts })).toBe(
            organisationEnabled && channelAccepts && productPolicy !== 'deny',
          );
        }
  });
});
