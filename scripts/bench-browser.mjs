// Browser figures for `make bench` (scripts/bench.mjs): headless Chromium against
// the release build in dist/, served on 127.0.0.1 by tests/e2e/server.mjs.
//
//   node scripts/bench-browser.mjs [--only first-render,step,memory] [--json]
//
// * first-render: navigation start -> the app's `stsplay:first-render` performance
//   mark (set by an effect after the first render with the default example applied),
//   fresh browser context each time (cold: the server sends no-store), 1 warm-up
//   run then the median of 5.
// * step: a 50-replica Parallel set applied through the editor and stepped until
//   settled; then Back and Step are clicked (>= 50 times each) and each click is
//   timed from the click to the end of the frame that shows it: the click is made
//   at the start of a frame (inside requestAnimationFrame), the app renders in the
//   same task's microtasks, and a MessageChannel task posted then runs right after
//   that frame's style, layout and paint. (Timing "to the next vsync" instead
//   would add 0-16.7 ms of idle waiting that says nothing about the app.)
// * memory: a 200-replica Parallel set, stepped until settled, then re-applied with
//   100 and 200 replicas in turn (scale down/up) until the simulation has recorded
//   10,000 steps; then the wasm linear memory size (WebAssembly.Memory
//   buffer.byteLength, taken from the `TrunkApplicationStarted` event that
//   web/boot.js fires: no hook in the app's UI) and the JS heap.
//
// Prints progress on stderr and, with --json, one JSON object on stdout.

import { startServer } from '../tests/e2e/server.mjs';
import {
  DIST_DIR,
  FIRST_RENDER_MARK,
  assertDistBuilt,
  button,
  launchBrowser,
  loadApp,
  manifests,
  openPage,
} from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;
const wants = (name) => !only || only.has(name);
const log = (...m) => console.error('[bench-browser]', ...m);

const MEMORY_TARGET_STEPS = Number(process.env.STSPLAY_BENCH_MEMORY_STEPS ?? 10_000);
const MEMORY_TIME_LIMIT_MS = Number(process.env.STSPLAY_BENCH_MEMORY_LIMIT_MS ?? 300_000);
const STEP_CLICKS = 60;

/** The default example with `replicas` and a podManagementPolicy. */
function webManifest(replicas, policy = 'Parallel') {
  return `apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: ${replicas}
  podManagementPolicy: ${policy}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.7
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
`;
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const round = (x) => Math.round(x * 100) / 100;
  return { n: s.length, median: round(at(50)), p95: round(at(95)), max: round(s[s.length - 1]), min: round(s[0]) };
}

/** In-page helpers, installed before the app starts. */
function installPageHelpers() {
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__stsplayWasmMemory = e.detail?.wasm?.memory;
  });
  const buttonNamed = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
  const nextTask = () =>
    new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve();
      ch.port2.postMessage(0);
    });
  const meta = () => document.querySelector('.clock .meta')?.textContent ?? '';
  window.__stsplayBench = {
    /** Steps recorded so far, as the clock line says ("· 123 steps"). */
    steps: () => Number((meta().match(/(\d+) steps?/) ?? [0, 0])[1]),
    settled: () => meta().includes('settled'),
    /** Click Step until settled (or `max` clicks); one click per task. */
    async stepUntilSettled(max) {
      const step = buttonNamed('Step');
      let clicks = 0;
      while (!this.settled() && clicks < max) {
        step.click();
        clicks += 1;
        await nextTask();
      }
      return clicks;
    },
    /**
     * Time one click of `name`, from the click to the end of the frame showing it:
     * {total, app} where app is the click handler plus the render (microtasks)
     * and total adds the frame's style, layout and paint.
     */
    timeClick(name) {
      const b = buttonNamed(name);
      return new Promise((resolve) => {
        requestAnimationFrame(() => {
          const t0 = performance.now();
          let app = 0;
          b.click();
          // Queued after the app's own render microtask, so it runs after it.
          queueMicrotask(() => {
            app = performance.now() - t0;
          });
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve({ total: performance.now() - t0, app });
          ch.port2.postMessage(0);
        });
      });
    },
  };
}

async function newAppPage(browser, url) {
  const opened = await openPage(browser);
  await opened.page.addInitScript(installPageHelpers);
  await loadApp(opened.page, url);
  return opened;
}

/**
 * Put `text` in the editor and press Apply (or Reset: a new cluster, then apply —
 * needed to change podManagementPolicy, which is immutable); wait until the
 * summary shows `replicas` as the desired count.
 */
async function applyManifest(page, text, replicas, { reset = false } = {}) {
  await manifests(page).fill(text);
  await button(page, reset ? 'Reset' : 'Apply').click();
  await page.waitForFunction(
    (n) => {
      if (document.querySelector('.apply-error')) throw new Error(document.querySelector('.apply-error').textContent);
      const ready = document.querySelector('.statefulsets .ready')?.textContent ?? '';
      return ready.endsWith(`/${n}`);
    },
    replicas,
    { timeout: 15_000 },
  );
}

async function firstRender(browser, url) {
  const runs = [];
  for (let i = 0; i < 6; i += 1) {
    const { context, page, errors } = await openPage(browser);
    await page.goto(url, { waitUntil: 'load' });
    const mark = await page.waitForFunction(
      (name) => performance.getEntriesByName(name)[0]?.startTime,
      FIRST_RENDER_MARK,
      { timeout: 30_000 },
    );
    const t = await mark.jsonValue();
    // The mark comes after the render with the example applied: check it is there.
    const ok = await page.evaluate(() => /statefulset\.apps\/web/.test(document.querySelector('.statefulsets')?.textContent ?? ''));
    if (!ok) throw new Error('first-render mark set but the example is not rendered');
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    if (i > 0) runs.push(t);
    log(`first render ${i === 0 ? '(warm-up)' : `#${i}`}: ${t.toFixed(1)} ms`);
    await context.close();
  }
  return { ...stats(runs), runs: runs.map((x) => Math.round(x * 10) / 10) };
}

async function stepLatency(browser, url) {
  const { context, page, errors } = await newAppPage(browser, url);
  await applyManifest(page, webManifest(50, 'Parallel'), 50, { reset: true });
  const settleClicks = await page.evaluate(() => window.__stsplayBench.stepUntilSettled(5000));
  const steps = await page.evaluate(() => window.__stsplayBench.steps());
  const pods = await page.locator('table:has(caption:text-is("Pods")) tbody tr').count();
  log(`step: 50-replica set settled after ${settleClicks} clicks, ${steps} steps, ${pods} pod rows`);
  const back = [];
  for (let i = 0; i < STEP_CLICKS; i += 1) back.push(await page.evaluate(() => window.__stsplayBench.timeClick('Back')));
  const forward = [];
  for (let i = 0; i < STEP_CLICKS; i += 1) forward.push(await page.evaluate(() => window.__stsplayBench.timeClick('Step')));
  const stepsAfter = await page.evaluate(() => window.__stsplayBench.steps());
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  await context.close();
  const result = {
    settleClicks,
    steps,
    stepsAfter,
    pods,
    back: stats(back.map((t) => t.total)),
    step: stats(forward.map((t) => t.total)),
    backApp: stats(back.map((t) => t.app)),
    stepApp: stats(forward.map((t) => t.app)),
  };
  log(
    `step: Back median ${result.back.median} ms p95 ${result.back.p95} ms (app ${result.backApp.median}/${result.backApp.p95}); ` +
      `Step median ${result.step.median} ms p95 ${result.step.p95} ms (app ${result.stepApp.median}/${result.stepApp.p95})`,
  );
  return result;
}

async function memory(browser, url) {
  const { context, page, errors } = await newAppPage(browser, url);
  const started = Date.now();
  const wasmBytes = () => page.evaluate(() => window.__stsplayWasmMemory?.buffer.byteLength ?? null);
  const initialBytes = await wasmBytes();
  await applyManifest(page, webManifest(200, 'Parallel'), 200, { reset: true });
  let replicas = 200;
  let applies = 1;
  let clicks = 0;
  let steps = 0;
  let stopped = null;
  let logged = 0;
  for (;;) {
    const { n, settled } = await page.evaluate(async () => {
      const n = await window.__stsplayBench.stepUntilSettled(250);
      return { n, settled: window.__stsplayBench.settled() };
    });
    clicks += n;
    steps = await page.evaluate(() => window.__stsplayBench.steps());
    if ((await page.getByRole('alert').filter({ hasText: 'stsplay crashed' }).count()) > 0) {
      stopped = 'the app crashed';
      break;
    }
    if (steps >= MEMORY_TARGET_STEPS) break;
    if (Date.now() - started > MEMORY_TIME_LIMIT_MS) {
      stopped = `time limit ${MEMORY_TIME_LIMIT_MS / 1000} s`;
      break;
    }
    if (settled) {
      replicas = replicas === 200 ? 100 : 200;
      await applyManifest(page, webManifest(replicas, 'Parallel'), replicas);
      applies += 1;
    }
    if (Math.floor(steps / 1000) > logged) {
      logged = Math.floor(steps / 1000);
      log(`memory: ${steps} steps after ${((Date.now() - started) / 1000).toFixed(0)} s, wasm ${((await wasmBytes()) / 1e6).toFixed(1)} MB`);
    }
  }
  const bytes = await wasmBytes();
  const jsHeap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  const seconds = (Date.now() - started) / 1000;
  const pageErrors = errors.filter((e) => !stopped || !/unreachable|panicked/.test(e));
  await context.close();
  if (pageErrors.length && !stopped) throw new Error(`page errors: ${pageErrors.join('; ')}`);
  const result = { steps, clicks, applies, initialBytes, wasmBytes: bytes, jsHeapBytes: jsHeap, seconds, stopped, errors: errors.slice(0, 3) };
  log(`memory: ${steps} steps in ${seconds.toFixed(0)} s: wasm memory ${(bytes / 1e6).toFixed(1)} MB${stopped ? ` (stopped: ${stopped})` : ''}`);
  return result;
}

assertDistBuilt();
// STSPLAY_BENCH_NO_CSP=1: to measure an older build whose loader was an inline script.
const server = await startServer({ root: DIST_DIR, csp: !process.env.STSPLAY_BENCH_NO_CSP });
const browser = await launchBrowser();
const out = { dist: DIST_DIR, chromium: browser.version() };
try {
  if (wants('first-render')) out.firstRender = await firstRender(browser, server.url);
  if (wants('step')) out.stepLatency = await stepLatency(browser, server.url);
  if (wants('memory')) out.memory = await memory(browser, server.url);
} finally {
  await browser.close();
  await server.close();
}
if (json) console.log(JSON.stringify(out));
