// The owner sets the sender and the brand through the settings pages in Chromium (French), sees a refused
// field explained next to it, checks every settings tab fits a 390 px phone, and finds the brand in the
// cart email preview. The demo store's settings are put back afterwards: later checks expect them unchanged.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';
import { adminClient } from './lib/journey-kit.mjs';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const shots = join(repoRoot, 'e2e', '.screenshots');
const SENDER = {
  fromName: 'Boutique Démo', fromEmail: 'owner@demo.example', replyTo: 'service@demo.example', postalAddress: '1 rue de la Démo, 75001 Paris',
  displayName: 'Démo & Co', brandLogoUrl: 'https://demo.example/logo.png', brandPrimaryColor: '#b4231f', brandAccentColor: '#0b5cad',
};
const TABS = ['sender', 'providers', 'guardrails', 'privacy'];

export async function settingsConsoleChecks({ check, worker, adminToken }) {
  if (!existsSync(CHROMIUM)) return;
  const admin = adminClient(worker.url, adminToken);
  const before = await admin.get(`/api/stores/${DEMO.storeId}/settings`);
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-settings-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 900 }, locale: 'fr-FR' });
    const page = context.pages()[0] ?? (await context.newPage());
    await senderAndBrand({ check, worker, adminToken, admin, page });
    await phoneWidths({ check, worker, page });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await admin.patch(`/api/stores/${DEMO.storeId}/settings`, Object.fromEntries(Object.keys(SENDER).map((k) => [k, before[k] ?? null])));
  }
}

const settingsUrl = (worker, tab) => `${worker.url}/admin/stores/${DEMO.storeId}/settings/${tab}`;

async function senderAndBrand({ check, worker, adminToken, admin, page }) {
  await check('settings: a refused reply-to address is explained next to its field, in French', async () => {
    await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(`/admin/stores/${DEMO.storeId}/settings`)}`);
    await page.fill('input[name=token]', adminToken);
    await Promise.all([page.waitForURL('**/settings'), page.click('button[type=submit]')]);
    await page.fill('#f-replyTo', 'pas-une-adresse');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/settings/sender"] button[type=submit]')]);
    assertEqual(await page.getAttribute('#f-replyTo', 'aria-invalid'), 'true', 'aria-invalid on the field');
    assert((await page.getAttribute('#f-replyTo', 'aria-describedby')).includes('f-replyTo-error'), 'the field points at its error');
    assertEqual(await page.textContent('#f-replyTo-error'), 'Adresse e-mail invalide (ex. service@boutique.fr).', 'error text');
  });

  await check('settings: the owner sets the sender and the brand; the page confirms and the API reads them back', async () => {
    await page.goto(settingsUrl(worker, 'sender'));
    for (const [field, value] of Object.entries(SENDER)) await page.fill(`#f-${field}`, value);
    await Promise.all([page.waitForURL('**saved=1'), page.click('form[action$="/settings/sender"] button[type=submit]')]);
    assertEqual((await page.textContent('[role=status]')).trim(), 'Réglages enregistrés.', 'saved notice');
    assertEqual(await page.inputValue('#f-postalAddress'), SENDER.postalAddress, 'postal address shown again');
    assertEqual(await page.getAttribute('.logo-preview img', 'src'), SENDER.brandLogoUrl, 'logo preview');
    await page.screenshot({ path: join(shots, 'settings-1-sender.png'), fullPage: true });
    const stored = await admin.get(`/api/stores/${DEMO.storeId}/settings`);
    for (const [field, value] of Object.entries(SENDER)) assertEqual(stored[field], value, field);
  });

  await check('settings: the cart email preview carries the logo, the display name and the brand colours', async () => {
    const { preview } = await admin.post(`/api/flows/abandoned-cart/messages/email_1/preview?store=${DEMO.storeId}&lang=fr`, {});
    assert(preview.html.includes(`<img src="${SENDER.brandLogoUrl}" alt="Démo &amp; Co"`), 'logo with the display name');
    assert(preview.html.includes(`background:${SENDER.brandPrimaryColor};`), 'buttons in the primary colour');
    assert(preview.html.includes(`a{color:${SENDER.brandAccentColor}}`), 'links in the accent colour');
    assert(preview.html.includes(SENDER.postalAddress), 'postal address in the footer');
  });
}

async function phoneWidths({ check, worker, page }) {
  await check('settings: every tab fits a 390 px phone in French and English (no horizontal scroll), every field labelled', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const lang of ['fr', 'en']) {
      for (const tab of TABS) {
        await page.goto(`${settingsUrl(worker, tab)}?lang=${lang}`);
        const [scroll, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert(scroll <= viewport, `${tab} (${lang}): scroll width ${scroll} > viewport ${viewport}`);
        const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]),textarea,select')].filter((el) => el.labels.length === 0).map((el) => el.name));
        assertEqual(unlabelled, [], `${tab} (${lang}): fields without a label`);
        await page.screenshot({ path: join(shots, `settings-${tab}-${lang}-390.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });
}
