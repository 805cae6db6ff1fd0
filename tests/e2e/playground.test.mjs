// The playground, driven through the UI only: the kubectl console, the
// timeline (jump back, fork, restore), the keyboard shortcuts, and the
// downloaded session replayed by `stsplay run` to the same final state.
// Run: make test-e2e

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, TEST_TIMEOUT_MS, button, loadApp, poll, readTable } from './harness.mjs';
import { useSuite } from './suite.mjs';

const suite = useSuite();

const consoleInput = (page) => page.getByRole('textbox', { name: '$ command' });
const scrollback = (page) => page.getByRole('log', { name: 'Console output' });
const inputs = (page) => page.getByRole('list', { name: 'Inputs', exact: true }).getByRole('listitem');

/** Types a console command and presses Enter; waits until its line is in the scrollback. */
async function run(page, line) {
  await consoleInput(page).fill(line);
  await consoleInput(page).press('Enter');
  await poll(async () => (await scrollback(page).innerText()).includes(`$ ${line}`), { message: `\`${line}\` in the scrollback` });
}

const podNames = async (page) => (await readTable(page, 'Pods')).map((r) => r.NAME);

test('console commands, a jump back, a fork and its restore', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, errors } = await suite.newPage();
  await loadApp(page, suite.server().url);

  // The default example is applied on load; settle it from the console.
  await run(page, 'run until settled');
  assert.deepEqual(await podNames(page), ['web-0', 'web-1', 'web-2']);

  // kubectl scale, typed, then stepped until settled.
  await run(page, 'kubectl scale sts web --replicas=5');
  assert.match(await scrollback(page).innerText(), /statefulset\.apps\/web scaled/);
  await button(page, 'Run until settled').click();
  await poll(async () => (await podNames(page)).length === 5, { message: 'five pods' });

  // A refused command prints kubectl's error and adds no input.
  const before = await inputs(page).count();
  await run(page, 'kubectl scale sts ghost --replicas=1');
  assert.match(await scrollback(page).innerText(), /Error from server \(NotFound\): statefulsets\.apps "ghost" not found/);
  assert.equal(await inputs(page).count(), before);

  // Tab completes a verb.
  await consoleInput(page).fill('kubectl sca');
  await consoleInput(page).press('Tab');
  assert.equal(await consoleInput(page).inputValue(), 'kubectl scale ');

  // Jump back to before the scale-up (the input list), act there: a fork.
  const scaleItem = inputs(page).filter({ hasText: 'kubectl scale sts web --replicas=5' });
  const index = (await inputs(page).allInnerTexts()).findIndex((t) => t.includes('kubectl scale sts web --replicas=5'));
  assert.ok(index > 0, 'the scale is an input of the timeline');
  await inputs(page).nth(index - 1).getByRole('button').click();
  await poll(async () => (await podNames(page)).length === 3, { message: 'three pods again, before the scale' });
  assert.ok(await scaleItem.evaluate((li) => li.classList.contains('future')), 'the scale is now in the future');
  await run(page, 'kubectl scale sts web --replicas=1');
  await poll(async () => /later inputs? discarded/.test(await page.locator('.discarded').innerText().catch(() => '')), {
    message: 'the discarded future to be shown',
  });
  await page.locator('.discarded').getByRole('button', { name: 'Restore' }).click();
  await poll(async () => (await page.locator('.discarded').count()) === 0, { message: 'the notice to go' });
  assert.equal(await scaleItem.count(), 1, 'the scale-up is back in the timeline');

  // Keyboard: → steps, / focuses the console, ? opens the help, Esc closes it.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await poll(async () => (await page.getByRole('dialog').count()) === 0, { message: 'the help to close' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input');
  assert.deepEqual(errors, []);
});

test('the session, as a scenario file, replays in stsplay run to the same pods', { timeout: TEST_TIMEOUT_MS * 3 }, async () => {
  const { page } = await suite.newPage();
  await loadApp(page, suite.server().url);
  await run(page, 'run until settled');
  await run(page, 'kubectl delete pod web-1');
  await run(page, 'run until settled');
  await run(page, 'kubectl scale sts web --replicas=2');
  await button(page, 'Step').click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.getByRole('link', { name: 'Download scenario' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'stsplay-session.script');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stsplay-session-'));
  const file = path.join(dir, 'session.script');
  await download.saveAs(file);
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /^# stsplay: 1\n# seed: 1\nkubectl apply -f - <<'EOF'\n/);
  assert.match(text, /\nkubectl scale sts web --replicas=2\nstep\n$/);
  const out = execFileSync('cargo', ['run', '-q', '-p', 'stsplay-cli', '--', 'run', file, '--json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const pods = JSON.parse(out).final.pods.map((p) => [p.name, p.status]);
  const shown = (await readTable(page, 'Pods')).map((r) => [r.NAME, r.STATUS]);
  assert.deepEqual(pods, shown, 'stsplay run reached another state than the page');
});
