// Flow results on a running worker: GET /api/flows/:id/stats counts exactly the abandoned-cart messages the earlier
// steps recorded (read back through GET /api/messages), and the dashboard's results page shows the same figure,
// in French, on a 390 px phone without horizontal scroll, with its two SVG charts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';
import { adminClient } from './lib/journey-kit.mjs';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FLOW = 'abandoned-cart';

/** Every abandoned-cart message handed over (sent or put in the outbox), contact by contact. */
async function recordedSends(admin) {
  const { contacts } = await admin.get(`/api/contacts?store=${DEMO.storeId}&limit=200`);
  let sent = 0;
  for (const c of contacts) {
    const { messages } = await admin.get(`/api/messages?store=${DEMO.storeId}&contact=${encodeURIComponent(c.id)}&limit=500`);
    sent += messages.filter((m) => m.flowId === FLOW && (m.status === 'sent' || m.status === 'outbox')).length;
  }
  return sent;
}

/**
 * `fn(page)` in a French Chromium sized as a 390 px phone, signed in to the dashboard and on `path`
 * (shared with e2e/flow-experiment.mjs); nothing happens without the Chromium binary.
 */
export async function onAdminPhone({ worker, adminToken, path }, fn) {
  if (!existsSync(CHROMIUM)) return;
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-phone-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(path)}`);
    await page.fill('input[name=token]', adminToken);
    await Promise.all([page.waitForURL(`**${path}`), page.click('button[type=submit]')]);
    await fn(page);
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

export async function assertNoHorizontalScroll(page) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert(widths[0] <= widths[1], `scroll width ${widths[0]} > viewport ${widths[1]}`);
}

export async function flowResultsChecks({ check, worker, adminToken }) {
  const admin = adminClient(worker.url, adminToken);
  let stats;
  await check('flow results: the stats API counts the abandoned-cart messages recorded, from its rollups', async () => {
    stats = await admin.get(`/api/flows/${FLOW}/stats?store=${DEMO.storeId}`);
    assertEqual(stats.totals.sent, await recordedSends(admin), 'sent in the stats API vs messages recorded');
    assertEqual(stats.steps.reduce((a, s) => a + s.sent, 0), stats.totals.sent, 'the step funnel adds up to the total');
  });
  if (!stats) return;
  const path = `/admin/stores/${DEMO.storeId}/flows/${FLOW}/results`;
  await check('flow results: the dashboard page shows the same figures on a 390 px phone, charts with text alternatives', () =>
    onAdminPhone({ worker, adminToken, path }, async (page) => {
      const sent = await page.locator('dt:text-is("Envoyés") + dd').first().textContent();
      assertEqual(Number(sent), stats.totals.sent, 'sent on the page vs the stats API');
      assertEqual(await page.locator('svg[role=img] > title').count(), 3, 'three charts with a title (funnel, daily, holdout lift)');
      await assertNoHorizontalScroll(page);
      mkdirSync(join(repoRoot, 'e2e', '.screenshots'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, 'e2e', '.screenshots', 'flow-results-phone.png'), fullPage: true });
    }),
  );
}
