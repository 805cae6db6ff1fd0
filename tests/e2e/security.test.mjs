// Browser-side security of the release build: a strict Content-Security-Policy
// that the app never violates, no script injection through manifest text, and no
// network traffic or cookies beyond the site's own files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CSP_DIRECTIVES } from './server.mjs';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertDistBuilt,
  button,
  loadApp,
  manifests,
  poll,
  readTable,
  setManifests,
  stepLog,
  stepOnce,
  stepUntilReady,
} from './harness.mjs';
import { useSuite } from './suite.mjs';

const suite = useSuite();

/** The policy of the <meta http-equiv="Content-Security-Policy"> in an HTML file. */
function metaCsp(html) {
  const m = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
  return m ? m[1].split(';').map((d) => d.trim()).filter(Boolean) : null;
}

test('dist/index.html has the CSP meta, equal to the server header minus frame-ancestors, and nothing inline', () => {
  const html = fs.readFileSync(assertDistBuilt(), 'utf8');
  const meta = metaCsp(html);
  assert.ok(meta, 'no Content-Security-Policy <meta> in dist/index.html');
  // frame-ancestors is ignored in a <meta> (embedding must keep working), so it is only a header.
  assert.deepEqual(meta, CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')));
  assert.ok(
    html.indexOf('Content-Security-Policy') < html.search(/<script/i),
    'the CSP <meta> must come before the first script',
  );
  const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    ([, attrs, body]) => !/\bsrc\s*=/.test(attrs) || body.trim() !== '',
  );
  assert.deepEqual(inlineScripts.map((m) => m[0]), [], 'inline <script> needs unsafe-inline');
  assert.doesNotMatch(html, /<style\b/i, 'inline <style> needs unsafe-inline');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'style attributes need unsafe-inline');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'event handler attributes need unsafe-inline');
});

test('web/src builds the DOM without innerHTML or unchecked HTML', () => {
  const dir = path.join(REPO_ROOT, 'web', 'src');
  const offenders = [];
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith('.rs')) continue;
    // Code only: the doc comments may well say "no innerHTML".
    const text = fs
      .readFileSync(path.join(dir, String(file)), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*\/\//.test(line))
      .join('\n');
    for (const needle of ['innerHTML', 'inner_html', 'outerHTML', 'outer_html', 'from_html_unchecked', 'insertAdjacentHTML', 'insert_adjacent_html', 'document.write']) {
      if (text.includes(needle)) offenders.push(`${file}: ${needle}`);
    }
  }
  const boot = fs.readFileSync(path.join(REPO_ROOT, 'web', 'boot.js'), 'utf8');
  for (const needle of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'Function(']) {
    if (boot.includes(needle)) offenders.push(`web/boot.js: ${needle}`);
  }
  assert.deepEqual(offenders, []);
});

test('no CSP violation on load, Apply, Step, Back and Play; the server sends the policy', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, errors, cspViolations } = await suite.newPage();
  const response = await page.goto(suite.server().url, { waitUntil: 'load' });
  assert.match(response.headers()['content-security-policy'] ?? '', /frame-ancestors \*/);
  await manifests(page).waitFor({ state: 'visible', timeout: 30_000 });
  await button(page, 'Apply').click();
  await stepOnce(page);
  await stepOnce(page);
  await button(page, 'Back').click();
  await button(page, 'Play').click();
  await page.waitForTimeout(1_000);
  await button(page, 'Pause').click();
  await page.waitForTimeout(200);
  assert.deepEqual(cspViolations, [], 'securitypolicyviolation events');
  assert.deepEqual(errors, []);
});

test('the app starts inside an iframe of a page from another origin', { timeout: TEST_TIMEOUT_MS }, async () => {
  // frame-ancestors lives in the header only (a <meta> cannot carry it); `*` allows
  // any http(s) embedder. The embedder is another origin: another port.
  const embedder = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><title>embedder</title><iframe title="stsplay" src="${suite.server().url}" width="1200" height="800"></iframe>`);
  });
  await new Promise((resolve) => embedder.listen(0, '127.0.0.1', resolve));
  try {
    const { page } = await suite.newPage();
    await page.goto(`http://127.0.0.1:${embedder.address().port}/`, { waitUntil: 'load' });
    const frame = page.frameLocator('iframe');
    await frame.getByRole('textbox', { name: 'Manifests' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.getByRole('button', { name: 'Step', exact: true }).click();
    await frame.getByRole('list', { name: 'Step log', exact: true }).getByRole('listitem').first().waitFor();
  } finally {
    embedder.closeAllConnections?.();
    await new Promise((resolve) => embedder.close(resolve));
  }
});

const PAYLOADS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>'];

/** A valid manifest whose container images are the payloads (the API accepts any image text). */
const EVIL_IMAGES = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: a
        image: ${JSON.stringify(PAYLOADS[0])}
      - name: b
        image: ${JSON.stringify(PAYLOADS[1])}
      - name: c
        image: ${JSON.stringify(PAYLOADS[2])}
`;

/** A manifest refused by validation, whose error message quotes the payloads. */
const EVIL_NAMES = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${JSON.stringify(PAYLOADS[0])}
  labels:
    x: ${JSON.stringify(PAYLOADS[1])}
spec:
  serviceName: ${JSON.stringify(PAYLOADS[2])}
  replicas: 1
  selector:
    matchLabels:
      app: ${JSON.stringify(PAYLOADS[2])}
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: a
        image: nginx
`;

async function assertNoInjectedElements(page) {
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    svg: document.querySelectorAll('svg').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    onAttributes: [...document.querySelectorAll('*')].filter((el) =>
      [...el.attributes].some((a) => a.name.startsWith('on')),
    ).length,
  }));
  assert.deepEqual(injected, { img: 0, svg: 0, inlineScripts: 0, onAttributes: 0 });
}

test('script-like manifest text is shown literally and never runs', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, dialogs } = await suite.newPage();
  await loadApp(page, suite.server().url);

  // Refused: the error alert quotes the name and label literally.
  await setManifests(page, EVIL_NAMES);
  await button(page, 'Apply').click();
  const alert = page.getByRole('alert').filter({ hasText: 'is invalid' });
  await alert.first().waitFor({ state: 'visible', timeout: 10_000 });
  const alertText = await alert.first().innerText();
  assert.ok(alertText.includes(PAYLOADS[0]), alertText);
  assert.ok(alertText.includes(PAYLOADS[1]), alertText);

  // Accepted: the images end up in the step log ("pulled ...") once the pod starts.
  await setManifests(page, EVIL_IMAGES);
  await button(page, 'Reset').click();
  for (let i = 0; i < 60; i += 1) {
    if ((await stepLog(page).innerText()).includes('pulled')) break;
    await stepOnce(page);
  }
  const log = await stepLog(page).innerText();
  for (const p of PAYLOADS) assert.ok(log.includes(p), `step log lacks ${p} literally:\n${log}`);
  await stepOnce(page).catch(() => {});
  await button(page, 'Back').click();
  await assertNoInjectedElements(page);
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'a payload opened a dialog');
  const pods = await readTable(page, 'Pods');
  assert.ok(pods.some((p) => p.NAME === 'web-0'), JSON.stringify(pods));
});

test('the page only talks to its own origin and sets no cookies', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, context, requests } = await suite.newPage();
  await loadApp(page, suite.server().url);
  await button(page, 'Apply').click();
  await stepUntilReady(page);
  await button(page, 'Back').click();
  await poll(async () => requests.length > 0, { message: 'requests to be recorded' });
  const origin = new URL(suite.server().url).origin;
  const foreign = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests to other origins');
  const base = suite.server().url;
  const outsideBase = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
  assert.deepEqual(outsideBase, [], 'requests outside the site');
  assert.deepEqual(await context.cookies(), [], 'cookies');
  assert.equal(await page.evaluate(() => document.cookie), '');
});
