// Block-theme product and category pages carrying exactly what the plugin prints (its PHPUnit fixtures): in a
// real Chromium, product_view, category_view and add to cart (wc-blocks_added_to_cart, no jQuery) reach
// Nightshift, checked through the admin API once the block checkout's email capture names the visitor.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO } from './lib/local-worker.mjs';
import { pluginPageContext } from './lib/fake-plugin.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { CHROMIUM, FLAGS } from './storefront.mjs';
import { contactByEmail } from './webhooks.mjs';

export async function themePagesChecks({ check, admin, storefront }) {
  if (!existsSync(CHROMIUM)) return; // storefrontChecks already reported it
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-theme-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && console.log(`      [page] ${m.text()}`));
    await blockThemeShopper({ check, admin, storefront, page });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function blockThemeShopper({ check, admin, storefront, page }) {
  const email = `e2e.blocktheme+${Date.now()}@example.com`;
  const product = pluginPageContext('product').product;
  const category = pluginPageContext('category').category;
  let visitorId;

  await check('block theme: a product page and a category page, add to cart from each (no jQuery)', async () => {
    await page.goto(storefront.blockProductUrl);
    visitorId = await page.waitForFunction(() => window.nightshift && !Array.isArray(window.nightshift) && window.nightshift.visitorId()).then((h) => h.jsonValue());
    assertEqual(await page.evaluate(() => typeof window.jQuery), 'undefined', 'jQuery on the block-theme page');
    await page.fill('#quantity', '3');
    await page.click('#add');
    await page.waitForSelector('text=Ajouté au panier');
    await page.goto(storefront.blockCategoryUrl);
    await page.waitForFunction(() => window.nightshift && !Array.isArray(window.nightshift));
    await page.click('[data-product_id="44"]');
    await page.waitForSelector('text=Ajouté au panier');
    // The block checkout sends the email with cart/update-customer; the plugin captures it (signed identify).
    const res = await page.evaluate((address) => fetch('/wp-json/wc/store/v1/cart/update-customer', { method: 'POST', body: JSON.stringify({ billing_address: { email: address } }) }).then((r) => r.status), email);
    assertEqual(res, 200, 'update-customer');
    await page.evaluate(() => window.nightshift.flush());
  });

  await check('block theme: product_view (variation, price, categories), category_view and add_to_cart reach Nightshift (admin API)', async () => {
    const profile = await eventually(async () => {
      const contact = await contactByEmail(admin, email);
      const p = await admin(`/api/contacts/${contact.id}?store=${DEMO.storeId}&events=100`);
      const browser = p.events.filter((e) => e.source === 'browser').map((e) => e.type);
      for (const t of ['page_view', 'product_view', 'category_view', 'add_to_cart']) assert(browser.includes(t), `browser events lack ${t}: ${browser}`);
      assert(browser.filter((t) => t === 'add_to_cart').length === 2, `two browser add_to_cart: ${browser}`);
      return p;
    }, { timeoutMs: 30_000 });
    assert(profile.visitorIds.includes(visitorId), `visitor ${visitorId} linked: ${profile.visitorIds}`);
    const props = (type) => profile.events.filter((e) => e.type === type && e.source === 'browser').map((e) => e.properties);
    const view = props('product_view')[0];
    assertEqual([view.productId, view.variationId, view.price, view.categoryIds], [product.productId, product.variationId, product.price, product.categoryIds], 'product_view');
    const seen = props('category_view')[0];
    // A browser's text is never kept (names come from the catalogue): the category is known by its id.
    assertEqual([seen.categoryId, seen.name], [category.categoryId, undefined], 'category_view');
    const adds = props('add_to_cart').map((a) => [a.productId, a.variationId ?? 0, a.quantity]).sort((a, b) => a[0] - b[0]);
    assertEqual(adds, [[12, 31, 3], [44, 0, 1]], 'add_to_cart from the single product form and the product button');
  });
}
