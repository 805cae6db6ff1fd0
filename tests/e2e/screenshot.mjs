// Writes docs/screenshot.png (1280x900): the release build after applying the
// default example and stepping until web-0..2 are ready.
// Run: make screenshot   (or: node tests/e2e/screenshot.mjs after `trunk build --release`)

import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import {
  DIST_DIR,
  REPO_ROOT,
  assertDistBuilt,
  button,
  launchBrowser,
  loadApp,
  openPage,
  stepUntilReady,
} from './harness.mjs';

const out = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'docs', 'screenshot.png'));
const watchdog = setTimeout(() => {
  console.error('screenshot: timed out after 120 s');
  process.exit(1);
}, 120_000);

assertDistBuilt();
const server = await startServer({ root: DIST_DIR });
const browser = await launchBrowser();
try {
  const { page, errors } = await openPage(browser, { width: 1280, height: 900 });
  await loadApp(page, server.url);
  await button(page, 'Apply').click();
  const { steps } = await stepUntilReady(page);
  await page.mouse.move(0, 0);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  if (errors.length) console.error(`screenshot: page reported errors:\n  ${errors.join('\n  ')}`);
  console.log(`screenshot: wrote ${path.relative(process.cwd(), out)} after ${steps} steps`);
  if (errors.length) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
  clearTimeout(watchdog);
}
