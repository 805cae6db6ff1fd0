// The shared set-up of every *.test.mjs file: one server for dist/ under a
// sub-path and one headless Chromium per file, a fresh context per test, and
// the checks every browser test must pass afterwards.

import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  DIST_DIR,
  RESULTS_DIR,
  TEST_TIMEOUT_MS,
  assertDistBuilt,
  crashBanner,
  launchBrowser,
  openPage,
} from './harness.mjs';

export const BASE_PATH = '/stsplay/some/sub/path/';

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Register the hooks; returns `{ server(), newPage() }`. After each browser test:
 * no page errors, console errors, CSP violations, failed or 4xx/5xx requests,
 * requests outside the sub-path, dialogs, or the crash banner. A test that provokes
 * some of these on purpose removes them from `errors` (or `dialogs`) itself.
 */
export function useSuite() {
  let server;
  let browser;
  let current; // { context, page, errors, ... } of the running test

  before(async () => {
    assertDistBuilt();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    server = await startServer({ root: DIST_DIR, basePath: BASE_PATH });
    browser = await launchBrowser();
  }, { timeout: TEST_TIMEOUT_MS });

  after(async () => {
    await browser?.close();
    await server?.close();
  }, { timeout: TEST_TIMEOUT_MS });

  afterEach(async (t) => {
    if (!current) return;
    const { context, page, errors, dialogs } = current;
    current = undefined;
    try {
      const crashed = await crashBanner(page).count();
      await page
        .screenshot({ path: path.join(RESULTS_DIR, `${slug(t.name)}.png`), fullPage: true, timeout: 10_000 })
        .catch(() => {});
      assert.equal(crashed, 0, 'the "stsplay crashed" banner is shown');
      assert.deepEqual(errors, [], 'page errors / console errors / CSP violations / failed requests');
      assert.deepEqual(dialogs, [], 'dialogs opened by the page');
      assert.deepEqual(server.outside, [], 'requests outside the sub-path (absolute URLs in the build?)');
    } finally {
      server.outside.length = 0;
      await context.close().catch(() => {});
    }
  }, { timeout: TEST_TIMEOUT_MS });

  return {
    server: () => server,
    async newPage(options) {
      current = await openPage(browser, options);
      return current;
    },
  };
}
