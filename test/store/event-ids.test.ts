import { describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.js';
import { eventParams } from '../../src/store/events.repository.js';

/**
 * R12: GET /v1/events pages by id on SQLite, so event ids must sort in commit order across
 * processes. Ids are made inside the write lock above the largest one stored (the floor), even
 * when this process's clock is behind the one that wrote it.
 */
describe('event ids in commit order (R12)', () => {
  const events = Array.from({ length: 5 }, (_, i) => ({ type: 'stock.adjusted', subjectType: 'product', subjectId: `S${i}`, payload: { i } }));
  const idsOf = (params: unknown[]) => params.filter((_, i) => i % 7 === 0) as string[];

  it('with a floor ahead of this clock, every new id sorts after it and after the one before', () => {
    const floor = `evt_${'Z'.repeat(10)}${'0'.repeat(16)}`;
    const ids = idsOf(eventParams('org', '2026-12-01T00:00:00.000Z', events, floor));
    expect(ids).toHaveLength(5);
    expect(ids.every((id) => id > floor)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('with a floor behind this clock, ids are the usual time-ordered ones', () => {
    const floor = newId('evt');
    const ids = idsOf(eventParams('org', '2026-12-01T00:00:00.000Z', events, floor));
    expect(ids.every((id) => id > floor)).toBe(true);
    expect(ids[0]!.slice(4, 14) >= floor.slice(4, 14)).toBe(true);
  });
});
