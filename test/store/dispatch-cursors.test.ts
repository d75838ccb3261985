import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { fanOutEvents } from '../../src/services/webhook-dispatcher.js';
import { openStore, type Store } from '../../src/store/db.js';
import { appendEvents } from '../../src/store/events.repository.js';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrator.js';
import { countPendingEvents } from '../../src/store/outbox.repository.js';
import { DIALECTS } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const event = (n: number) => ({ type: 'product.updated', subjectType: 'product', subjectId: `prd_${n}`, payload: { n } });

/**
 * R12 with issue 5's SQLite cursor (migration 015): what is pending is exactly what was written
 * after the last fan-out, per organisation, on both databases.
 */
for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
  run(`pending events [${dialect}]`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      store = openStore({ url: db.url });
      await migrateToLatest(store.db);
    });
    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    it('R12: a fan-out takes every event written since the last one, in each organisation, and none twice', async () => {
      const a = (await createOrganisation(store, 'cursor a')).orgId;
      const b = (await createOrganisation(store, 'cursor b')).orgId;
      const write = (orgId: string, from: number, n: number) =>
        store.transact((tx) => appendEvents(tx, dialect, orgId, new Date().toISOString(), Array.from({ length: n }, (_, i) => event(from + i))));
      const services = { store, now: () => new Date() };
      await fanOutEvents(services, {}, 10_000);
      expect(await countPendingEvents(store.db, dialect)).toBe(0);

      await write(a, 0, 5);
      await write(b, 0, 3);
      expect(await countPendingEvents(store.db, dialect, a)).toBe(5);
      expect(await countPendingEvents(store.db, dialect)).toBe(8);
      // Four at a time: the limit holds across organisations, and the rest is still pending.
      expect(await fanOutEvents(services, {}, 4)).toBe(4);
      expect(await countPendingEvents(store.db, dialect)).toBe(4);
      await write(a, 5, 2);
      expect(await fanOutEvents(services, {}, 100)).toBe(6);
      expect(await fanOutEvents(services, {}, 100)).toBe(0);
      expect(await countPendingEvents(store.db, dialect)).toBe(0);
    });
  });
}

describe('migration 015 on SQLite (issue 5)', () => {
  it('R12: the cursor starts after the last event with every earlier one dispatched; the rest stays pending', async () => {
    const db = await createTestDatabase('sqlite');
    const store = openStore({ url: db.url });
    try {
      await migrateUpTo(store.db, '014-order-tab-counts');
      const orgId = (await createOrganisation(store, 'before 015')).orgId;
      await store.db.deleteFrom('events').execute();
      const row = (id: string, dispatched: boolean) => ({ id, org_id: orgId, type: 't', subject_type: 's', subject_id: id, payload: '{}', created_at: '2026-11-30T00:00:00Z', dispatched_at: dispatched ? '2026-11-30T00:00:01Z' : null });
      // 1 and 2 dispatched, 3 not, 4 dispatched (a worker got ahead): 3 and 4 are pending after the migration.
      await store.db.insertInto('events').values([row('evt_1', true), row('evt_2', true), row('evt_3', false), row('evt_4', true)]).execute();
      await migrateToLatest(store.db);
      expect(await store.db.selectFrom('event_dispatch_cursors').select(['org_id', 'last_id']).execute()).toEqual([{ org_id: orgId, last_id: 'evt_2' }]);
      expect(await countPendingEvents(store.db, 'sqlite', orgId)).toBe(2);
      const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(store.db);
      expect(indexes.rows.map((i) => i.name)).not.toContain('events_pending');
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
