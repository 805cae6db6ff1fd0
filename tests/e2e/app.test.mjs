// End-to-end tests of the release build (dist/) in headless Chromium.
// Run: make test-e2e   (or: node --test tests/e2e/ after `trunk build --release`)
//
// dist/ is served under a sub-path to prove the site is relocatable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  TEST_TIMEOUT_MS,
  assertDistBuilt,
  button,
  loadApp,
  manifests,
  poll,
  readTable,
  stepOnce,
  stepUntilReady,
  wasmFileName,
} from './harness.mjs';
import { useSuite } from './suite.mjs';

const suite = useSuite();
const newPage = () => suite.newPage();

test('dist/index.html references its assets with relative URLs', () => {
  const html = fs.readFileSync(assertDistBuilt(), 'utf8');
  const urls = [...html.matchAll(/\b(?:src|href|data-js|data-wasm)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]);
  // module imports and init() arguments in trunk's inline loader script
  const scriptUrls = [...html.matchAll(/(?:from\s+|import\s*\(\s*|module_or_path\s*:\s*|init\s*\(\s*)["']([^"']+)["']/g)].map(
    (m) => m[1],
  );
  const all = [...urls, ...scriptUrls];
  assert.ok(all.some((u) => /\.js$/.test(u)), `no script URL found in dist/index.html: ${JSON.stringify(all)}`);
  const absolute = all.filter((u) => /^\/(?!\/)/.test(u));
  assert.deepEqual(absolute, [], 'root-absolute URLs break serving under a sub-path');
  const external = all.filter((u) => /^(?:https?:)?\/\//i.test(u));
  assert.deepEqual(external, [], 'the site must not load anything from other hosts');
});

test('the server sends .wasm as application/wasm under the sub-path', async () => {
  const wasm = wasmFileName();
  const server = suite.server();
  const res = await fetch(server.url + wasm);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  await res.arrayBuffer();
  const outside = await fetch(new URL('/' + wasm, server.url));
  assert.equal(outside.status, 404, 'files must only be served under the sub-path');
  await outside.arrayBuffer();
  server.outside.length = 0;
});

test('apply the default example and step until web-0..2 are Running', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page } = await newPage();
  await loadApp(page, suite.server().url);

  const yaml = await manifests(page).inputValue();
  assert.match(yaml, /kind:\s*StatefulSet/, 'Manifests is pre-filled with a StatefulSet');
  assert.match(yaml, /kind:\s*Service/, 'Manifests is pre-filled with a Service');
  assert.match(yaml, /name:\s*web\b/);
  assert.match(yaml, /name:\s*nginx\b/);

  // header cells of the Pods table, in order: kubectl's columns, then the row menus
  const headers = await page
    .getByRole('table', { name: 'Pods', exact: true })
    .getByRole('columnheader')
    .allInnerTexts();
  assert.deepEqual(
    headers.map((h) => h.trim()),
    ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'ACTIONS'],
  );

  await button(page, 'Apply').click();
  const { pods, steps } = await stepUntilReady(page);
  const names = pods.map((p) => p.NAME).sort();
  assert.deepEqual(names, ['web-0', 'web-1', 'web-2'], `pods after ${steps} steps`);

  const dns = await readTable(page, 'DNS records');
  const web0 = dns.find((r) => r.NAME.replace(/\.$/, '') === 'web-0.nginx.default.svc.cluster.local');
  assert.ok(web0, `DNS records lack web-0.nginx.default.svc.cluster.local: ${JSON.stringify(dns)}`);
  const web0Ip = pods.find((p) => p.NAME === 'web-0').IP;
  if (web0Ip && web0.TYPE === 'A') {
    assert.equal(web0.DATA, web0Ip, 'the A record of web-0 points at its pod IP');
  }
});

test('invalid YAML shows an error with line and column and leaves the cluster unchanged', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page } = await newPage();
  await loadApp(page, suite.server().url);

  // Give the cluster some state first, so "unchanged" means something.
  await button(page, 'Apply').click();
  for (let i = 0; i < 20 && (await readTable(page, 'Pods')).length === 0; i += 1) await stepOnce(page);
  // AGE is left out: only the cluster's state matters, not how its age is shown.
  const podState = async () => (await readTable(page, 'Pods')).map(({ AGE, ...rest }) => rest);
  const podsBefore = await podState();
  assert.ok(podsBefore.length > 0, 'a pod exists after Apply and at most 20 Steps');

  await manifests(page).fill('kind: [');
  await button(page, 'Apply').click();

  const alert = page.getByRole('alert').filter({ hasText: /line \d+/i });
  await alert.first().waitFor({ state: 'visible', timeout: 10_000 });
  const message = await alert.first().innerText();
  assert.match(message, /line \d+/i);
  assert.match(message, /column \d+/i);

  // Give a (wrong) re-render a moment to show up before comparing.
  await page.waitForTimeout(300);
  assert.deepEqual(await podState(), podsBefore, 'Pods table changed after a failed Apply');
  await poll(async () => (await manifests(page).inputValue()) === 'kind: [', {
    timeout: 2_000,
    message: 'the editor to keep the invalid text',
  });
});
