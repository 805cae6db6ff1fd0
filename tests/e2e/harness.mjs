// Shared helpers for the end-to-end tests and the screenshot script:
// headless Debian Chromium through playwright-core, error collection, and
// helpers that drive the stsplay UI through accessible roles and names.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = path.resolve(process.env.STSPLAY_DIST ?? path.join(REPO_ROOT, 'dist'));
/** The same app built with the `test-hooks` feature (web/Cargo.toml), by `make build-release`. */
export const TEST_HOOKS_DIST_DIR = path.resolve(
  process.env.STSPLAY_TEST_HOOKS_DIST ?? path.join(REPO_ROOT, 'target', 'dist-test-hooks'),
);
export const RESULTS_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'results');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Per-test budget; every wait below is bounded well inside it. */
export const TEST_TIMEOUT_MS = 60_000;
/** Upper bound on Step clicks while waiting for the StatefulSet to become ready. */
export const MAX_STEPS = 200;

// Quiet flags: the machine has no network, so keep Chromium from phoning home.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** The file name of the wasm module in a built site (`dir`: dist/ by default). */
export function wasmFileName(dir = DIST_DIR) {
  const name = fs.readdirSync(dir).find((f) => f.endsWith('.wasm'));
  if (!name) throw new Error(`no .wasm file in ${dir}: run \`make build-release\` first`);
  return name;
}

/** Fails early with a clear message when the release build is missing. */
export function assertDistBuilt() {
  const index = path.join(DIST_DIR, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`${index} not found: run \`make build-release\` (trunk build --release) first`);
  }
  return index;
}

/** Launch headless Chromium (a fresh temporary profile is made by Playwright). */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: run \`make install\` (apt chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * Open a page that records page errors, console errors, failed requests, HTTP
 * errors and Content-Security-Policy violations into `errors` (the favicon the
 * browser asks for by itself is ignored), every request URL into `requests`, and
 * every `window.alert/confirm/prompt` dialog into `dialogs` (dismissed at once).
 */
export async function openPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  const requests = [];
  const dialogs = [];
  const cspViolations = [];
  const isFavicon = (url) => /\/favicon\.ico(\?|$)/.test(url ?? '');
  // securitypolicyviolation events, reported through a binding (survives reloads).
  await page.exposeBinding('__stsplayReportCsp', (_source, v) => {
    cspViolations.push(v);
    errors.push(`CSP violation: ${v.directive} blocked ${v.blockedURI || '(inline)'} at ${v.source}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__stsplayReportCsp({
        directive: e.effectiveDirective,
        blockedURI: e.blockedURI,
        source: `${e.sourceFile}:${e.lineNumber}`,
        sample: e.sample,
      });
    });
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message ?? err}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) {
      errors.push(`console (CSP): ${text}`);
      return;
    }
    if (msg.type() !== 'error') return;
    if (isFavicon(msg.location()?.url)) return;
    errors.push(`console.error: ${text}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (req) => requests.push(req.url()));
  page.on('requestfailed', (req) => {
    if (isFavicon(req.url())) return;
    errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !isFavicon(res.url())) {
      errors.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return { context, page, errors, requests, dialogs, cspViolations };
}

/** Poll `fn` until it returns a truthy value; throw `message` after `timeout` ms. */
export async function poll(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// --- the UI contract ----------------------------------------------------------

export const manifests = (page) => page.getByRole('textbox', { name: 'Manifests' });
export const button = (page, name) => page.getByRole('button', { name, exact: true });
export const table = (page, name) => page.getByRole('table', { name, exact: true });
export const stepLog = (page) => page.getByRole('list', { name: 'Step log', exact: true });
export const crashBanner = (page) => page.getByRole('alert').filter({ hasText: 'stsplay crashed' });
export const stepLogItems = (page) => stepLog(page).getByRole('listitem');

/** The localStorage key the app keeps the editor's text and the seed under. */
export const STORAGE_KEY = 'stsplay.scenario.v1';
/** The performance.mark the app sets after its first render. */
export const FIRST_RENDER_MARK = 'stsplay:first-render';

/** Replace the editor's text (fires the input event the app listens to). */
export async function setManifests(page, text) {
  await manifests(page).fill(text);
}

/** The saved scenario ({manifests, seed}) or null. */
export async function savedScenario(page) {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  }, STORAGE_KEY);
}

/** Load the app and wait until the wasm has rendered the editor and buttons. */
export async function loadApp(page, url) {
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await manifests(page).waitFor({ state: 'visible', timeout: 30_000 });
  await button(page, 'Apply').waitFor({ state: 'visible', timeout: 10_000 });
}

/**
 * Rows of a table as objects keyed by the header cell texts (NAME, READY, ...).
 * Header: the <thead> row, else the first row made of <th>s.
 */
export async function readTable(page, name) {
  return table(page, name).evaluate((t) => {
    const text = (c) => (c.innerText ?? c.textContent ?? '').replace(/\s+/g, ' ').trim();
    const rows = Array.from(t.rows);
    let headerRow = t.tHead?.rows[0];
    if (!headerRow && rows.length && Array.from(rows[0].cells).every((c) => c.tagName === 'TH')) {
      headerRow = rows[0];
    }
    const headers = headerRow ? Array.from(headerRow.cells).map(text) : [];
    return rows
      .filter((r) => r !== headerRow && r.parentElement?.tagName !== 'THEAD' && r.parentElement?.tagName !== 'TFOOT')
      .map((r) => Array.from(r.cells).map(text))
      // skip placeholder rows such as a single "No pods" cell spanning the table
      .filter((cells) => cells.length === headers.length)
      .map((cells) => Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
  });
}

export async function stepLogCount(page) {
  return stepLog(page).getByRole('listitem').count();
}

/** True when web-0, web-1, web-2 are all 1/1 Running. */
export function threePodsReady(pods) {
  return ['web-0', 'web-1', 'web-2'].every((n) =>
    pods.some((p) => p.NAME === n && p.READY === '1/1' && p.STATUS === 'Running'),
  );
}

/** Step log fingerprint: entry count plus text (changes even if the log is capped). */
async function stepLogState(page) {
  const log = stepLog(page);
  return `${await log.getByRole('listitem').count()}\u0000${await log.innerText()}`;
}

/** Click Step once and wait (bounded) for the step log to change. */
export async function stepOnce(page) {
  const before = await stepLogState(page);
  await button(page, 'Step').click({ timeout: 5_000 });
  await poll(async () => (await stepLogState(page)) !== before, {
    timeout: 5_000,
    interval: 25,
    message: 'the step log to change after clicking Step',
  });
}

/** Click Step until the three web pods are ready; returns {pods, steps}. */
export async function stepUntilReady(page, { maxSteps = MAX_STEPS, deadlineMs = 45_000 } = {}) {
  const deadline = Date.now() + deadlineMs;
  let pods = await readTable(page, 'Pods');
  let steps = 0;
  while (!threePodsReady(pods)) {
    if (steps >= maxSteps || Date.now() > deadline) {
      throw new Error(
        `pods not ready after ${steps} Step clicks; Pods table: ${JSON.stringify(pods)}`,
      );
    }
    if ((await crashBanner(page).count()) > 0) {
      throw new Error(`app crashed: ${await crashBanner(page).first().innerText()}`);
    }
    await stepOnce(page);
    steps += 1;
    pods = await readTable(page, 'Pods');
  }
  return { pods, steps };
}
