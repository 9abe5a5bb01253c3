// The contacts console in a real Chromium on a phone-sized window: find the guest of the WooCommerce fixtures
// (Liam Chen, order.created.guest) by a fragment of his name, open his page, export his data, then erase him
// through the confirmation step. Runs last on the main worker: nothing after it needs that contact.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, FLAGS } from './dashboard.mjs';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';

const shots = join(repoRoot, 'e2e', '.screenshots');
const EMAIL = 'liam.chen@example.net';

export async function contactsConsoleChecks({ check, worker, adminToken }) {
  if (!existsSync(CHROMIUM)) return;
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-contacts-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 390, height: 844 }, locale: 'fr-FR', acceptDownloads: true });
    const page = context.pages()[0] ?? (await context.newPage());
    await browse({ check, worker, adminToken, page });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

const noHorizontalScroll = async (page, what) => {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert(scroll <= width, `${what}: ${scroll} px wide in a ${width} px window`);
};

async function browse({ check, worker, adminToken, page }) {
  const api = async (path) => (await fetch(`${worker.url}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } })).json();

  await check('contacts console: a name fragment finds the guest on a 390 px phone, without horizontal scroll', async () => {
    await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(`/admin/stores/${DEMO.storeId}/contacts`)}`);
    await page.fill('input[name=token]', adminToken);
    await Promise.all([page.waitForURL('**/contacts'), page.click('button[type=submit]')]);
    await page.getByLabel('Rechercher (e-mail, nom ou téléphone)').fill('chen');
    await page.getByLabel('Statut').selectOption('subscribed');
    await Promise.all([page.waitForURL('**/contacts?*q=chen*'), page.click('form[method=get] button[type=submit]')]);
    const rows = page.locator('table.stack tbody tr');
    assertEqual(await rows.count(), 1, 'contacts found by "chen"');
    assert((await rows.first().innerText()).includes(EMAIL), 'the row shows the guest’s email');
    await noHorizontalScroll(page, 'contacts list');
    await page.screenshot({ path: join(shots, 'contacts-1-list-390.png'), fullPage: true });
  });

  await check('contacts console: the guest’s page shows his order in the timeline', async () => {
    await Promise.all([page.waitForURL('**/contacts/c_*'), page.click('table.stack tbody tr a')]);
    assertEqual((await page.textContent('h1'))?.trim(), 'Liam Chen', 'page title');
    assert((await page.locator('li.entry[data-kind=order]').count()) >= 1, 'an order in the timeline');
    await noHorizontalScroll(page, 'contact page');
    await page.screenshot({ path: join(shots, 'contacts-2-page-390.png'), fullPage: true });
  });

  await check('contacts console: the export button downloads the same JSON as the API export', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="/export"]')]);
    assert(/^contact-c_[A-Za-z0-9_-]+\.json$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assertEqual(exported.contact.email, EMAIL, 'exported contact');
    const viaApi = await api(`/api/contacts/${exported.contact.id}/export?store=${DEMO.storeId}`);
    assertEqual(JSON.stringify({ ...exported, exportedAt: '' }), JSON.stringify({ ...viaApi, exportedAt: '' }), 'dashboard and API exports');
  });

  await check('contacts console: erasing asks for the address first, then the contact is gone', async () => {
    await Promise.all([page.waitForURL('**/erase'), page.click('a[href$="/erase"]')]);
    await page.fill('#erase-confirm', 'someone.else@example.net');
    await Promise.all([page.waitForURL('**/erase'), page.click('button.danger')]);
    assert((await page.locator('[role=alert]').innerText()).includes('ne correspond pas'), 'a wrong address erases nothing');
    assertEqual((await api(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(EMAIL)}`)).contacts.length, 1, 'still there');
    await noHorizontalScroll(page, 'erase confirmation');
    await page.screenshot({ path: join(shots, 'contacts-3-erase-390.png'), fullPage: true });
    await page.fill('#erase-confirm', EMAIL);
    await Promise.all([page.waitForURL('**/contacts?notice=erased'), page.click('button.danger')]);
    assert((await page.locator('[role=status]').innerText()).includes('effacé'), 'erased notice');
    assertEqual((await api(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(EMAIL)}`)).contacts.length, 0, 'contacts left with that email');
  });
}
