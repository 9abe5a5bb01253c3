// The owner rewrites the abandoned-cart reminder in Chromium: French and English subjects through the
// dashboard's message editor, a preview at desktop and phone widths, a test send that lands in the
// outbox; then a real cart left by a shopper brings a reminder with the new French wording (GET /api/messages).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { adminClient, cartBatch, postSigned } from './lib/journey-kit.mjs';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const shots = join(repoRoot, 'e2e', '.screenshots');
const run = randomBytes(3).toString('hex');
const FR_SUBJECT = `Votre panier vous attend toujours, {{ contact.first_name }} (${run})`;
const EN_SUBJECT = `Your basket still misses you (${run})`;
const editorUrl = (worker, msg) => `${worker.url}/admin/stores/${DEMO.storeId}/flows/abandoned-cart/messages/email_1?msg=${msg}`;

export async function messageEditorChecks({ check, worker, adminToken }) {
  if (!existsSync(CHROMIUM)) return;
  const admin = adminClient(worker.url, adminToken);
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-editor-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    const page = context.pages()[0] ?? (await context.newPage());
    await edit({ check, worker, adminToken, admin, page });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  await realReminder({ check, worker, admin });
}

async function edit({ check, worker, adminToken, admin, page }) {
  await check('message editor: the flows page links the cart email to its editor, which previews it at 390 px without horizontal scroll', async () => {
    // The test send goes to the owner: the demo store has no admin email, so its sender address stands in.
    await admin.patch(`/api/stores/${DEMO.storeId}/settings`, { fromEmail: 'owner@demo.example' });
    await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(`/admin/stores/${DEMO.storeId}/flows`)}`);
    await page.fill('input[name=token]', adminToken);
    await Promise.all([page.waitForURL('**/flows'), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL('**/messages/email_1'), page.click('a[href$="/flows/abandoned-cart/messages/email_1"]')]);
    assertEqual(await page.getAttribute('iframe', 'sandbox'), '', 'sandboxed preview');
    assert((await page.frameLocator('.phone iframe').locator('body').innerText()).includes('Votre panier vous attend'), 'the phone preview shows the email');
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert(widths[0] <= widths[1], `scroll width ${widths[0]} > viewport ${widths[1]}`);
    await page.screenshot({ path: join(shots, 'editor-1-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await check('message editor: a French subject previews, saves as a new version and test-sends to the owner (outbox)', async () => {
    await page.goto(editorUrl(worker, 'fr'));
    await page.fill('#f-subject', FR_SUBJECT);
    await Promise.all([page.waitForNavigation(), page.click('button[value=preview]')]);
    assertEqual(await page.textContent('#preview-subject'), FR_SUBJECT.replace('{{ contact.first_name }}', 'Camille'), 'preview subject');
    await Promise.all([page.waitForURL('**notice=saved**'), page.click('button[value=save]')]);
    assert((await page.textContent('[role=status]')).includes('Enregistré (version'), 'saved notice');
    assertEqual(await page.inputValue('#f-subject'), FR_SUBJECT, 'live subject after saving');
    await Promise.all([page.waitForURL('**notice=tested**'), page.click('button[value=test]')]);
    assert((await page.textContent('[role=status]')).includes('owner@demo.example'), 'test notice names the owner address');
    await page.screenshot({ path: join(shots, 'editor-2-saved.png'), fullPage: true });
    await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}/messages`);
    const row = page.locator('tbody tr', { hasText: `[Test] ${FR_SUBJECT.replace('{{ contact.first_name }}', 'Camille')}` });
    assertEqual(await row.count(), 1, 'the test email in the outbox');
    assert((await row.innerText()).includes('owner@demo.example'), 'sent to the owner');
  });

  await check('message editor: a Liquid error is shown next to the field in French; the English subject saves on its own', async () => {
    await page.goto(editorUrl(worker, 'en'));
    await page.fill('#f-subject', 'Hi {{ contact.nickname }}');
    await page.click('button[value=save]');
    await page.waitForSelector('#f-subject-err');
    assert((await page.textContent('#f-subject-err')).includes('Variable inconnue pour cette étape : contact.nickname'), 'field error');
    await page.fill('#f-subject', EN_SUBJECT);
    await Promise.all([page.waitForURL('**notice=saved**'), page.click('button[value=save]')]);
    const { steps } = await admin.get(`/api/flows/abandoned-cart/messages?store=${DEMO.storeId}`);
    const email = steps.find((s) => s.stepId === 'email_1');
    assertEqual([email.live.fr.email.subject, email.live.en.email.subject], [FR_SUBJECT, EN_SUBJECT], 'live subjects (fr, en)');
  });
}

async function realReminder({ check, worker, admin }) {
  await check('message editor: a shopper’s abandoned cart brings the reminder with the owner’s French wording', async () => {
    const guardrails = (await admin.get(`/api/stores/${DEMO.storeId}/guardrails`)).settings;
    // Whatever hour the harness runs at: the reminder must not wait for the shopper's morning.
    await admin.patch(`/api/stores/${DEMO.storeId}/guardrails`, { wakeHour: 0, sleepHour: 24 });
    await admin.patch(`/api/flows/abandoned-cart?store=${DEMO.storeId}`, { enabled: true, holdoutPercent: 0, settings: { idleDelay: '3s', openWindow: '1h', incentiveEnabled: false, audienceEnabled: false } });
    const email = `e2e.editor+${run}@example.com`;
    try {
      await postSigned(worker.url, DEMO.webhookSecret, cartBatch({ storeId: DEMO.storeId, visitorId: `v_e2e_editor_${run}`, email }));
      const contact = await eventually(async () => {
        const { contacts } = await admin.get(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(email)}`);
        assertEqual(contacts.length, 1, 'contact');
        return contacts[0];
      });
      const reminder = await eventually(async () => {
        const { messages } = await admin.get(`/api/messages?store=${DEMO.storeId}&contact=${contact.id}`);
        const found = messages.find((m) => m.stepId === 'email_1');
        assert(found, 'cart reminder sent');
        return found;
      }, { timeoutMs: 30_000, intervalMs: 300 });
      assertEqual(reminder.subject, FR_SUBJECT.replace('{{ contact.first_name }}', 'Cam'), 'reminder subject');
      // The line's name comes from the catalogue when the store knows product 10 (earlier checks may have filled it);
      // the signed cart's total is there either way.
      assert(reminder.html.includes('42,00'), 'the cart (total 42,00 €) is in the email');
    } finally {
      await admin.patch(`/api/flows/abandoned-cart?store=${DEMO.storeId}`, { enabled: false });
      await admin.patch(`/api/stores/${DEMO.storeId}/guardrails`, { wakeHour: guardrails.wakeHour, sleepHour: guardrails.sleepHour });
    }
  });
}
