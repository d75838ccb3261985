import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { createOrganisation } from '../../src/services/organisations.service.js';
import { DIALECTS } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** One business step = one all-or-nothing unit, also when many run at once (group commit on SQLite). */
for (const dialect of DIALECTS) {
  const run = dialect === 'sqlite' || inject('pgAvailable') ? describe : describe.skip;
  run(`store.transact [${dialect}]`, () => {
    let db: TestDatabase;
    let store: Store;
    let orgId: string;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      store = openStore({ url: db.url });
      await migrateToLatest(store.db);
      orgId = (await createOrganisation(store, 'tx')).orgId;
    });
    afterAll(async () => {
      await store.close();
      await db.drop();
    });

    const event = (id: string) => ({ id, org_id: orgId, type: 't', subject_type: 's', subject_id: id, payload: '{}', created_at: '2026-11-22T00:00:00Z' });

    it('concurrent steps: each failing step leaves nothing behind, every other step commits, each caller hears its own outcome', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          store.transact(async (tx) => {
            await tx.insertInto('events').values(event(`evt_tx_${i}_a`)).execute();
            await tx.insertInto('events').values(event(`evt_tx_${i}_b`)).execute();
            if (i % 3 === 0) throw new Error(`step ${i} fails after writing`);
            return i;
          }),
        ),
      );
      outcomes.forEach((o, i) => {
        if (i % 3 === 0) expect(o.status).toBe('rejected');
        else expect(o).toEqual({ status: 'fulfilled', value: i });
      });
      const rows = await store.db.selectFrom('events').select('id').where('id', 'like', 'evt_tx_%').execute();
      const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0).flatMap((i) => [`evt_tx_${i}_a`, `evt_tx_${i}_b`]);
      expect(rows.map((r) => r.id).sort()).toEqual(expected.sort());
    });

    it('a step that breaks a constraint is rolled back whole and the database refuses it', async () => {
      const [bad, good] = await Promise.allSettled([
        store.transact(async (tx) => {
          await tx.insertInto('events').values(event('evt_c_1')).execute();
          await tx.insertInto('events').values(event('evt_c_1')).execute(); // duplicate key
        }),
        store.transact((tx) => tx.insertInto('events').values(event('evt_c_2')).execute()),
      ]);
      expect(bad.status).toBe('rejected');
      expect(good.status).toBe('fulfilled');
      const ids = (await store.db.selectFrom('events').select('id').where('id', 'like', 'evt_c_%').execute()).map((r) => r.id);
      expect(ids).toEqual(['evt_c_2']);
    });
  });
}
