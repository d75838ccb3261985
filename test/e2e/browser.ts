import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { REPO_ROOT } from '../concurrency/processes.js';
import { startE2eServer, type E2eServer } from './server.js';

/** Debian's chromium (apt-get install chromium; .ci/run does it). No browser is ever downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM_PATH} is missing and CI=true: the browser tests cannot be skipped (apt-get install chromium).`);
  console.warn(`\n!!!!! ${CHROMIUM_PATH} is missing: the dashboard's browser tests are SKIPPED (apt-get install chromium) !!!!!\n`);
}

export interface E2e {
  readonly server: E2eServer;
  readonly browser: Browser;
  /** A fresh page (own storage) at the given size (1280 × 800) and browser language (en-GB). */
  newPage(opts?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Page>;
}

/** One real server and one headless Chromium for the whole file; each test opens its own pages. */
export function describeInBrowser(name: string, suite: (e2e: () => E2e) => void, opts: { serverEnv?: () => Promise<Record<string, string>> } = {}) {
  (haveChromium ? describe : describe.skip)(name, () => {
    let server: E2eServer | undefined;
    let browser: Browser | undefined;
    beforeAll(async () => {
      const env = (await opts.serverEnv?.()) ?? {};
      [server, browser] = await Promise.all([
        startE2eServer(undefined, env),
        chromium.launch({
          executablePath: CHROMIUM_PATH,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        }),
      ]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });
    suite(() => {
      if (!server || !browser) throw new Error('e2e server or browser not started');
      const b = browser;
      return {
        server,
        browser: b,
        newPage: async ({ viewport = { width: 1280, height: 800 }, locale = 'en-GB' } = {}) => {
          const context = await b.newContext({ viewport, locale });
          // Fail in seconds, well inside the test's own timeout, when something never shows.
          context.setDefaultTimeout(10_000);
          return context.newPage();
        },
      };
    });
  });
}

/** Signs in through the sign-in page and waits for the shell to show the organisation. */
export async function signIn(page: Page, server: E2eServer, key = server.key): Promise<void> {
  await page.goto(server.baseUrl + '/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const organisation = page.getByTestId('organisation-name');
  await organisation.waitFor();
  expect(await organisation.textContent()).toBe(server.organisation);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
