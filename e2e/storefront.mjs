// The real tracker in a real Chromium on a fake storefront origin, checked through the admin API.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, nightshiftSignature, repoRoot, wooSignature } from './lib/local-worker.mjs';
import { loadWooFixtures } from './lib/woo-fixtures.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { contactByEmail } from './webhooks.mjs';
import { doubleOptIn } from './double-opt-in.mjs';

export { startStorefront } from './lib/fake-storefront.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const shots = join(repoRoot, 'e2e', '.screenshots');

export async function storefrontChecks({ check, worker, admin, storefront }) {
  await check('POST /collect from an origin the store does not allow is refused', async () => {
    const body = JSON.stringify({ siteKey: DEMO.siteKey, visitorId: 'v_e2e_evil_1', events: [{ id: 'evt_evil_0001', type: 'page_view', ts: Date.now(), url: 'https://evil.example/' }] });
    const res = await fetch(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' }, body });
    assertEqual(res.status, 403, 'status');
    assertEqual(res.headers.get('access-control-allow-origin'), null, 'CORS header for a foreign origin');
  });

  if (!existsSync(CHROMIUM)) {
    await check('Chromium is installed', () => {
      throw new Error(`${CHROMIUM} not found: install it with \`apt-get update && apt-get install -y chromium\``);
    });
    return;
  }
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 900, height: 700 } });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && console.log(`      [page] ${m.text()}`));
    const shopper = await shopperJourney({ check, admin, storefront, page });
    await doubleOptIn({ check, admin, page, shopper, shots });
    await provenTimeline({ check, admin, storefront, shopper });
    await laterOrderJoins({ check, admin, worker, shopper });
    await noConsentVisitor({ check, admin, storefront, page, context });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function shopperJourney({ check, admin, storefront, page }) {
  const email = `e2e.shopper+${Date.now()}@example.com`;
  let visitorId;

  await check('the storefront page loads /tracker.js and gets a first-party visitor id', async () => {
    await page.goto(storefront.productUrl);
    visitorId = await page.waitForFunction(() => window.nightshift && !Array.isArray(window.nightshift) && window.nightshift.visitorId()).then((h) => h.jsonValue());
    assert(/^[A-Za-z0-9_-]{8,64}$/.test(visitorId), `visitor id ${visitorId}`);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ns_vid');
    assertEqual(cookie?.value, visitorId, 'ns_vid cookie on the storefront origin');
    await page.screenshot({ path: join(shots, '1-product-page.png') });
  });

  await check('add to cart, then email with consent, in the browser', async () => {
    await page.click('#add');
    await page.fill('#email', email);
    await page.check('#consent');
    await page.click('#signup button[type=submit]');
    await page.waitForSelector('text=Thanks for subscribing!');
    await page.screenshot({ path: join(shots, '2-after-signup.png') });
  });

  let contactId;
  await check('the sign-up is only a claim: the contact holds the email, none of the browsing until confirmed', async () => {
    await eventually(async () => {
      const contact = await contactByEmail(admin, email);
      contactId = contact.id;
      const p = await admin(`/api/contacts/${contact.id}?store=${DEMO.storeId}`);
      assert(!p.visitorIds.includes(visitorId), `visitor ${visitorId} not linked before proof: ${p.visitorIds}`);
      assertEqual(p.events.length, 0, 'events on the claimed contact');
    }, { timeoutMs: 30_000 });
  });
  return { email, contactId, visitorId };
}

/** The confirmation proved the claim: the visitor that signed up is now the contact, with its history and cart. */
async function provenTimeline({ check, admin, storefront, shopper }) {
  await check('once confirmed, the visitor, its cart and its event timeline belong to the contact (admin API)', async () => {
    const profile = await eventually(async () => {
      const p = await admin(`/api/contacts/${shopper.contactId}?store=${DEMO.storeId}`);
      const types = new Set(p.events.map((e) => e.type));
      for (const t of ['page_view', 'product_view', 'add_to_cart', 'cart_updated', 'identify']) assert(types.has(t), `timeline lacks ${t}: ${[...types]}`);
      assert(p.cart, 'cart is linked to the contact');
      return p;
    }, { timeoutMs: 30_000 });
    assert(profile.visitorIds.includes(shopper.visitorId), `visitor ${shopper.visitorId} linked: ${profile.visitorIds}`);
    const item = profile.cart.items[0];
    assertEqual([item?.productId, item?.quantity, profile.cart.value], [storefront.product.productId, 2, 2 * storefront.product.price], 'cart item, quantity, value');
    const add = profile.events.find((e) => e.type === 'add_to_cart');
    assertEqual(add.properties.productId, storefront.product.productId, 'add_to_cart product');
  });
}

/** A guest checkout with the shopper's email, delivered by WooCommerce, lands on the same contact. */
async function laterOrderJoins({ check, admin, worker, shopper }) {
  await check('a later guest order with the same email joins the storefront contact', async () => {
    const guest = loadWooFixtures().find((f) => f.name === 'order.created.guest');
    const orderId = 900_000 + (Date.now() % 100_000);
    const text = guest.body
      .toString('utf8')
      .replace(/^\{"id":\d+,/, `{"id":${orderId},`)
      .replaceAll(guest.json.billing.email, shopper.email);
    const body = Buffer.from(text);
    const headers = { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Resource': 'order', 'X-WC-Webhook-Event': 'created', 'X-WC-Webhook-ID': '1', 'X-WC-Webhook-Source': 'https://shop.example.com/', 'X-WC-Webhook-Delivery-ID': `e2e${orderId}`.padEnd(32, '0'), 'X-WC-Webhook-Signature': wooSignature(DEMO.webhookSecret, body) };
    const res = await fetch(`${worker.url}/webhooks/woocommerce/${DEMO.storeId}`, { method: 'POST', headers, body });
    assert(res.ok, `delivery: HTTP ${res.status}`);
    await eventually(async () => {
      const contact = await contactByEmail(admin, shopper.email);
      const orders = await admin(`/api/orders?store=${DEMO.storeId}&contact=${contact.id}`);
      assertEqual(orders.orders.map((o) => o.id), [orderId], 'orders of the storefront contact');
    });
  });

  await check('a signed plugin-bridge batch sets identity without a consent flag; a bad signature is 401', async () => {
    const email = `e2e.plugin+${Date.now()}@example.com`;
    const body = JSON.stringify({ store: DEMO.storeId, visitorId: `v_e2e_plugin_${Date.now()}`, events: [{ id: `evt_plugin_${Date.now()}`, type: 'identify', ts: Date.now(), email, firstName: 'Plug', source: 'checkout' }] });
    const post = (signature) => fetch(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': signature }, body });
    const bad = await post(nightshiftSignature('not-the-secret', body));
    assertEqual(bad.status, 401, 'status with a wrong signature');
    const ok = await post(nightshiftSignature(DEMO.webhookSecret, body));
    assertEqual(ok.status, 204, 'status with the store signature');
    await eventually(async () => {
      const contact = await contactByEmail(admin, email);
      assertEqual(contact.firstName, 'Plug', 'first name from the signed batch');
    });
  });
}

async function noConsentVisitor({ check, admin, storefront, page, context }) {
  await check('on a page with the plugin snippet (?store=), an email typed without consent creates no contact', async () => {
    await context.clearCookies();
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
    const email = `e2e.noconsent+${Date.now()}@example.com`;
    const before = (await admin(`/api/stores/${DEMO.storeId}`)).counts.events;
    await page.goto(storefront.pluginSnippetUrl);
    await page.waitForFunction(() => window.nightshift && !Array.isArray(window.nightshift) && window.nightshift.visitorId());
    await page.fill('#email', email);
    await page.click('#signup button[type=submit]');
    await page.waitForSelector('text=Thanks!');
    await page.screenshot({ path: join(shots, '3-no-consent.png') });
    // The page view and product view of this visit are stored once the batch went through the queue.
    await eventually(async () => {
      const now = (await admin(`/api/stores/${DEMO.storeId}`)).counts.events;
      assert(now >= before + 2, `events stored: ${now - before}`);
    }, { timeoutMs: 30_000 });
    const found = await admin(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(email)}`);
    assertEqual(found.contacts.length, 0, 'contacts for an email without consent');
  });
}
