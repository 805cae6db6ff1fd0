// Nothing lost: the editor's text (and the seed) survive a reload and a crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  DIST_DIR,
  STORAGE_KEY,
  TEST_HOOKS_DIST_DIR,
  TEST_TIMEOUT_MS,
  button,
  crashBanner,
  loadApp,
  manifests,
  poll,
  savedScenario,
  setManifests,
  stepOnce,
  wasmFileName,
} from './harness.mjs';
import { BASE_PATH, useSuite } from './suite.mjs';

const suite = useSuite();

/** The default example, recognisably edited. */
async function editedText(page) {
  const text = await manifests(page).inputValue();
  assert.match(text, /replicas: 3/);
  return `# edited by the persistence test\n${text.replace('replicas: 3', 'replicas: 2')}`;
}

test('the editor text is saved on every change and restored after a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page } = await suite.newPage();
  await loadApp(page, suite.server().url);
  assert.equal(await savedScenario(page), null, 'the untouched default example is not saved');

  const text = await editedText(page);
  await setManifests(page, text);
  const saved = await poll(() => savedScenario(page), { message: `localStorage["${STORAGE_KEY}"]` });
  assert.equal(saved.manifests, text);
  assert.equal(saved.seed, 1);

  await page.reload({ waitUntil: 'load' });
  await manifests(page).waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await manifests(page).inputValue(), text);
  // The restored text is applied on load, like the default example.
  await poll(async () => /statefulset\.apps\/web/.test(await page.locator('.statefulsets').innerText()), {
    message: 'the restored manifests to be applied',
  });
  // Junk in storage falls back to the default example instead of breaking the page.
  await page.evaluate((key) => localStorage.setItem(key, '{not json'), STORAGE_KEY);
  await page.reload({ waitUntil: 'load' });
  await manifests(page).waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await manifests(page).inputValue(), /replicas: 3/);
});

test('the deployed build has no test hook; the test-hooks build has one', () => {
  const wasm = (dir) => fs.readFileSync(path.join(dir, wasmFileName(dir)));
  const EVENT = Buffer.from('stsplay:test-panic');
  assert.equal(wasm(DIST_DIR).includes(EVENT), false, 'dist/ (the site) listens for the test panic event');
  assert.equal(wasm(TEST_HOOKS_DIST_DIR).includes(EVENT), true, 'the test-hooks build lacks the event');
});

test('after a crash, Reload brings the page back with the editor text intact', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // The app built with the `test-hooks` feature, served like dist/ (same sub-path, same CSP).
  const hooks = await startServer({ root: TEST_HOOKS_DIST_DIR, basePath: BASE_PATH });
  t.after(() => hooks.close());
  const { page, errors } = await suite.newPage();
  await loadApp(page, hooks.url);
  const text = await editedText(page);
  await setManifests(page, text);
  await button(page, 'Apply').click();
  await stepOnce(page);
  await poll(async () => (await savedScenario(page))?.manifests === text, { message: 'the edit to be saved' });

  // The test-hooks build's trigger (web/src/panic.rs): a real Rust panic.
  await page.evaluate(() => dispatchEvent(new Event('stsplay:test-panic')));
  await crashBanner(page).waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await crashBanner(page).innerText(), /stsplay crashed: test panic/);

  // Expected: the panic message (console.error) and the abort (RuntimeError: unreachable).
  const expected = (e) => /test panic requested|panicked at|RuntimeError: unreachable/.test(e);
  assert.ok(errors.some(expected), `the panic was not reported: ${JSON.stringify(errors)}`);
  const unexpected = errors.filter((e) => !expected(e));
  errors.length = 0;
  assert.deepEqual(unexpected, []);

  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }),
    crashBanner(page).getByRole('button', { name: 'Reload' }).click(),
  ]);
  await manifests(page).waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await crashBanner(page).count(), 0);
  assert.equal(await manifests(page).inputValue(), text);
});
