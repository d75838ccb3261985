import { expect, it } from 'vitest';
import { describeEachStore } from '../support/harness.js';

/** Issue 7: a server built without the web app (no dist/web) says so at `/` and otherwise behaves as the API. */
describeEachStore('the dashboard when it is not built', (harness) => {
  it('/ says the dashboard is not built and links the API docs; other pages stay problem+json 404', async () => {
    const h = harness();
    const root = await fetch(h.baseUrl + '/', { headers: { accept: 'text/html' } });
    expect(root.status).toBe(200);
    const text = await root.text();
    expect(text).toContain('The dashboard is not built');
    expect(text).toContain('href="/docs"');
    const page = await fetch(h.baseUrl + '/orders', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect((await page.json()).code).toBe('ROUTE_NOT_FOUND');
  });
});
