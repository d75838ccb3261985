import { expect, it } from 'vitest';
import { describeEachStore } from '../support/harness.js';
import { ok } from '../support/fixtures.js';

/** §4, issue 7: the dashboard shows whose data it is and offers only what the key's role may do. */
describeEachStore('GET /v1/me: the key’s organisation and role', (harness) => {
  it('names the organisation and the key, with its role, for every role', async () => {
    const h = harness();
    const admin = await ok(h.api('GET', '/v1/me'), 200);
    expect(admin).toEqual({
      organisation: { id: h.orgId, name: 'Test Merchant' },
      key: { id: expect.stringMatching(/^key_/), name: 'first admin key', role: 'admin', prefix: h.key.slice(0, 10) },
    });
    const made = await ok(h.api('POST', '/v1/api-keys', { name: 'wall screen', role: 'read-only' }), 201);
    const readOnly = await ok(h.api('GET', '/v1/me', undefined, { key: made.key }), 200);
    expect(readOnly.key).toEqual({ id: made.id, name: 'wall screen', role: 'read-only', prefix: made.prefix });
    expect(readOnly.organisation.id).toBe(h.orgId);
  });

  it('another organisation’s key sees its own organisation', async () => {
    const h = harness();
    const other = await h.newOrganisation('Other Shop');
    const me = await ok(h.api('GET', '/v1/me', undefined, { key: other.key }), 200);
    expect(me.organisation).toEqual({ id: other.orgId, name: 'Other Shop' });
  });

  it('without a valid key: 401 UNAUTHENTICATED', async () => {
    const h = harness();
    const res = await h.api('GET', '/v1/me', undefined, { key: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
