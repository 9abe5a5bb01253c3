// The owner opens the segments page in Chromium (French): every segment with its count, the RFM heat map;
// builds a segment with the form (a condition added, its type changed, a count previewed), saves it, finds it
// through the API with the rules the form stands for, then deletes it after the confirmation page.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';
import { adminClient } from './lib/journey-kit.mjs';
import { CHROMIUM, FLAGS } from './dashboard.mjs';

const shots = join(repoRoot, 'e2e', '.screenshots');

export async function segmentsConsoleChecks({ check, worker, adminToken }) {
  if (!existsSync(CHROMIUM)) return;
  const admin = adminClient(worker.url, adminToken);
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-segments-'));
  const base = `${worker.url}/admin/stores/${DEMO.storeId}/segments`;
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = context.pages()[0] ?? (await context.newPage());
    await check('segments: the page lists every segment with its count and the 5×5 RFM heat map, at 390 px', async () => {
      await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(`/admin/stores/${DEMO.storeId}/segments`)}`);
      await page.fill('input[name=token]', adminToken);
      await Promise.all([page.waitForURL('**/segments'), page.click('button[type=submit]')]);
      const { segments } = await admin.get(`/api/segments?store=${DEMO.storeId}`);
      assert(segments.length >= 12, `12 built-in segments at least, got ${segments.length}`);
      for (const s of segments.filter((x) => x.id === 'rfm-champions' || x.id === 'hot-lead')) {
        const row = page.locator('tbody tr', { has: page.locator(`a[href$="/segments/${s.id}"]`) });
        assertEqual((await row.locator('td').nth(2).textContent()).trim(), String(s.count), `${s.id} count`);
      }
      assertEqual(await page.locator('table.rfm td[data-cell]').count(), 25, 'heat map cells');
      assert(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
      await page.screenshot({ path: join(shots, 'segments-390.png'), fullPage: true });
    });

    await check('segments: the builder adds a condition, previews its count, saves; the API holds the rules; delete asks first', async () => {
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.goto(`${base}/new`);
      await page.fill('#nameFr', 'Acheteurs e2e');
      await page.fill('#nameEn', 'E2e buyers');
      await page.fill('[id="c0.value"]', '1');
      await Promise.all([page.waitForNavigation(), page.click('button[value=add]')]);
      await page.selectOption('[id="c1.kind"]', 'consent');
      await Promise.all([page.waitForNavigation(), page.locator('button[value=refresh]').nth(1).click()]);
      await page.selectOption('[id="c1.granted"]', 'no');
      await page.selectOption('#match', 'any');
      await Promise.all([page.waitForNavigation(), page.click('button[formaction$="/segments/preview"]')]);
      const notice = (await page.textContent('[role=status]')).trim();
      assert(/^\d+ contact\(s\) correspondent aujourd’hui\.$/.test(notice), `preview notice: ${notice}`);
      await Promise.all([page.waitForURL(/\/segments\?saved=/), page.click('button[value=save]')]);
      assertEqual((await page.textContent('[role=status]')).trim(), 'Segment « Acheteurs e2e » enregistré.', 'saved notice');
      const { segments } = await admin.get(`/api/segments?store=${DEMO.storeId}`);
      const created = segments.find((s) => s.name.fr === 'Acheteurs e2e');
      assertEqual(JSON.stringify(created?.rules), JSON.stringify({ version: 1, match: { any: [{ kind: 'orders', metric: 'count', op: 'gte', value: 1 }, { kind: 'consent', channel: 'email', granted: false }] } }), 'rules saved');
      assertEqual(notice, `${created.count} contact(s) correspondent aujourd’hui.`, 'preview equals the saved count');
      await page.goto(`${base}/${created.id}/delete`);
      await Promise.all([page.waitForURL(/\/segments\?deleted=1/), page.click('form[action$="/delete"] button[type=submit]')]);
      const after = await admin.get(`/api/segments?store=${DEMO.storeId}`);
      assert(!after.segments.some((s) => s.id === created.id), 'segment deleted');
    });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
