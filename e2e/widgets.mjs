// Storefront widgets in Chromium (issue 14): a page with a sign-up pop-up and a carousel, the budgets measured
// (bytes, main-thread time at 1x and 4x CPU, layout shift), axe-core in each widget state. The store first gets a
// catalogue and paid orders by signed webhooks, so the carousel shows GET /widgets/recommendations' real answer; a
// shopper then subscribes, confirms, receives the coupon (from the storefront's fake WooCommerce REST API) and
// orders with it, and the widget's results count the sign-up and the order.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { DEMO } from './lib/local-worker.mjs';
import { axeSerious, LIGHTHOUSE_MOBILE, measuredVisit, throttledVisits } from './lib/widget-measure.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { CHROMIUM, FLAGS } from './storefront.mjs';
import { contactByEmail } from './webhooks.mjs';
import { WOO_KEYS } from './lib/fake-storefront.mjs';
import { ANCHOR_PRODUCT, COMPANIONS, deliverCatalogue, deliverOrder, deliverOrderHistory } from './lib/widget-orders.mjs';

export const BUDGET = { trackerGz: 2560, pageGz: 6144, desktopMs: 30, throttledMs: 100 };
/**
 * Both time budgets are asserted on a median of fresh visits (three at 1x, seven at 4x): one visit on this shared
 * 2-core machine ranges widely for the same code (at 4x, 43-86 ms where the median is 56-65 ms).
 */
const verdictOf = (ms, budget) => (ms <= budget ? 'budget met' : `BUDGET MISSED by ${(ms - budget).toFixed(1)} ms`);

/** The demo page with a carousel slot of reserved height; the pop-up comes from the store's widget config. */
export function widgetsPage(workerUrl) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Boutique démo</title><style>body{font:16px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:40rem}</style>
<script>window.nightshiftConfig={page:{type:'product',product:{productId:10,name:'Night owl mug',price:12.5}}}</script>
<script async src="${workerUrl}/tracker.js?k=${DEMO.siteKey}"></script></head>
<body><main><h1>Night owl mug</h1><p>12,50 €</p>
<ns-carousel kind="bought_together" product="${ANCHOR_PRODUCT}" label="Souvent achetés ensemble" style="display:block;min-height:300px"></ns-carousel>
<p>Fin de la page.</p></main></body></html>`;
}

export const WELCOME = {
  kind: 'popup',
  config: {
    copy: {
      fr: { title: '10 % sur votre première commande', body: 'Inscrivez-vous à notre lettre.', submit: 'Je m’inscris', thanks: 'Merci ! Confirmez votre adresse dans l’e-mail que nous venons d’envoyer.', consentEmail: 'J’accepte de recevoir les e-mails de la boutique.' },
      en: { title: '10% off your first order', body: 'Join our newsletter.', submit: 'Sign me up', thanks: 'Thanks! Confirm your address in the email we just sent.', consentEmail: 'I agree to receive the store’s emails.' },
    },
    incentive: { discountType: 'percent', amount: 10, expiryDays: 30 },
    triggers: { paths: ['/widgets'] },
    frequencyDays: 7,
  },
};

/** The pop-up, and the store's REST keys for the storefront's WooCommerce (where the sign-up coupon is created). */
async function putWidget(worker, adminToken) {
  const send = async (method, path, body) => {
    const res = await fetch(`${worker.url}${path}`, { method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await send('PUT', `/api/stores/${DEMO.storeId}/widgets/welcome`, WELCOME);
  await send('PATCH', `/api/stores/${DEMO.storeId}/settings`, { wooConsumerKey: WOO_KEYS.consumerKey, wooConsumerSecret: WOO_KEYS.consumerSecret });
}

/** Products and paid orders by signed webhooks, until the bought-together list of the page's product has them all. */
async function catalogue({ check, worker }) {
  await check('widgets: a catalogue and paid orders (signed webhooks) make real "bought together" recommendations', async () => {
    await deliverCatalogue(worker);
    await deliverOrderHistory(worker);
    let attempt = 0;
    await eventually(async () => {
      // A new limit each try: an answer is edge-cached for minutes under its parameters, an early empty one included.
      attempt += 1;
      const res = await fetch(`${worker.url}/widgets/recommendations?site=${DEMO.siteKey}&kind=bought_together&product=${ANCHOR_PRODUCT}&limit=${Math.max(24 - attempt, 7)}`);
      // Earlier e2e modules' orders may pair the product with others too: ours must all be there.
      const ids = new Set(((await res.json()).items ?? []).map((i) => i.id));
      assertEqual(COMPANIONS.filter((p) => !ids.has(p.id)).map((p) => p.id), [], 'companions missing from "bought together"');
    }, { timeoutMs: 34_000, intervalMs: 2000 });
  });
}

export async function widgetsChecks({ check, worker, adminToken, storefront }) {
  const url = `${storefront.origin}/widgets`;
  const results = {};
  await check('widgets: the tracker alone is within 2.5 KB gzipped', async () => {
    const res = await fetch(`${worker.url}/tracker.js`);
    const gz = gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length;
    results.trackerGz = gz;
    assert(gz <= BUDGET.trackerGz, `tracker.js is ${gz} B gzipped (budget ${BUDGET.trackerGz})`);
  });
  await check('widgets: a page without a widget loads no widget code', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await browser.newPage();
      const scripts = [];
      page.on('request', (r) => scripts.push(r.url()));
      await page.goto(storefront.productUrl);
      await page.waitForFunction(() => window.nightshift && !Array.isArray(window.nightshift));
      await page.waitForTimeout(1000);
      assert(!scripts.some((u) => u.includes('/widgets/ui.js')), `ui.js requested on a page without widgets: ${scripts.join(', ')}`);
    } finally {
      await browser.close();
    }
  });
  await putWidget(worker, adminToken);
  await catalogue({ check, worker });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    let visit;
    await check(`widgets: pop-up and carousel page within 6 KB gz, no layout shift; main thread within ${BUDGET.desktopMs} ms (desktop, median of 3 visits)`, async () => {
      // The median of three fresh visits, as at 4x: one visit alone is noise on a shared machine.
      const visits = [];
      for (let i = 0; i < 3; i++) visits.push(await measuredVisit(browser, { url, workerOrigin: worker.url }));
      visit = visits[0]; // the later checks go on in the first visit's page
      for (const v of visits.slice(1)) await v.context.close();
      const ms = visits.map((v) => v.ms).sort((a, b) => a - b)[1];
      const gz = visit.files.reduce((s, f) => s + f.gz, 0);
      Object.assign(results, { pageGz: gz, desktopMs: Math.round(ms * 10) / 10, cls: visit.cls });
      console.log(`      widgets budgets: ${visit.files.map((f) => `${new URL(f.url).pathname} ${f.gz} B`).join(', ')}; ${visits.map((v) => v.ms.toFixed(1)).join(' / ')} ms (median ${ms.toFixed(1)}); CLS ${visits.map((v) => v.cls)}`);
      assert(visit.files.some((f) => f.url.includes('/widgets/ui.js')), 'ui.js loaded');
      assert(gz <= BUDGET.pageGz, `${gz} B gzipped from Nightshift (budget ${BUDGET.pageGz})`);
      console.log(`      widgets desktop: median ${ms.toFixed(1)} ms: ${verdictOf(ms, BUDGET.desktopMs)}`);
      assert(ms <= BUDGET.desktopMs, `${ms.toFixed(1)} ms of main-thread time, median of 3 visits (budget ${BUDGET.desktopMs})`);
      assertEqual(visits.map((v) => v.cls), [0, 0, 0], 'cumulative layout shift of each visit');
    });
    await check('widgets: open pop-up is a labelled modal <dialog> with focus inside, French copy, no serious axe violation', async () => {
      const { page } = visit;
      const state = await page.evaluate(() => {
        const root = document.querySelector('ns-signup').shadowRoot;
        const dialog = root.querySelector('dialog');
        return { modal: dialog.matches(':modal'), label: root.getElementById(dialog.getAttribute('aria-labelledby'))?.textContent, focusInside: dialog.contains(root.activeElement), close: root.querySelector('button.x')?.getAttribute('aria-label') };
      });
      assertEqual(state, { modal: true, label: WELCOME.config.copy.fr.title, focusInside: true, close: 'Fermer' }, 'pop-up state');
      const bad = await axeSerious(page, ['ns-signup', 'ns-carousel']);
      assertEqual(bad, [], 'serious or critical axe violations (open)');
    });
    await check('widgets: the carousel is a keyboard-scrollable labelled region', async () => {
      const { page } = visit;
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('ns-signup'));
      const label = await page.evaluate(() => document.querySelector('ns-carousel').shadowRoot.querySelector('[role=region]').getAttribute('aria-label'));
      assertEqual(label, 'Souvent achetés ensemble', 'carousel label');
      await page.evaluate(() => document.querySelector('ns-carousel').shadowRoot.querySelector('[role=region]').focus());
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await eventually(async () => assert((await page.evaluate(() => document.querySelector('ns-carousel').shadowRoot.querySelector('[role=region]').scrollLeft)) > 0, 'ArrowRight scrolls the carousel'), { timeoutMs: 3000 });
      const bad = await axeSerious(page, ['ns-carousel']);
      assertEqual(bad, [], 'serious or critical axe violations (closed)');
    });
    await visit?.context.close();
    // At the e2e's desktop width the pop-up is a modal <dialog>; on Lighthouse's mobile profile (the device its 4x
    // slowdown emulates, and the kind of page the issue's anchors measure) it is the phones' bottom sheet. Both are
    // asserted against the budget.
    for (const [label, device, key] of [['4x', undefined, 'throttledMs'], ['4x, Lighthouse mobile profile', LIGHTHOUSE_MOBILE, 'throttledMobileMs']]) {
      await check(`widgets: main-thread time at ${label} within the ${BUDGET.throttledMs} ms budget (median of 7 visits)`, async () => {
        const { runs, median } = await throttledVisits(browser, { url, workerOrigin: worker.url, device });
        results[key] = Math.round(median * 10) / 10;
        console.log(`      widgets at ${label}: ${runs.map((r) => r.ms.toFixed(1)).join(' / ')} ms (median ${median.toFixed(1)}): ${verdictOf(median, BUDGET.throttledMs)}; CLS ${runs.map((r) => r.cls)}`);
        assert(runs.every((r) => r.cls === 0), 'no layout shift in any throttled visit');
        assert(median <= BUDGET.throttledMs, `${median.toFixed(1)} ms at ${label}, median of 7 visits (budget ${BUDGET.throttledMs})`);
      });
    }
    const shopper = await subscribeAndConfirm({ check, browser, url, worker, adminToken });
    await couponAndOrder({ check, browser, worker, adminToken, storefront, shopper });
    await cartReminderAndPhone({ check, browser, url });
  } finally {
    await browser.close();
  }
  console.log(`      widgets measured: ${JSON.stringify(results)}`);
  return results;
}

/** A shopper subscribes in the pop-up (submitted state checked by axe), confirms from the outbox, and it counts. */
async function subscribeAndConfirm({ check, browser, url, worker, adminToken }) {
  const admin = async (path) => {
    const res = await fetch(`${worker.url}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return res.json();
  };
  const email = `e2e.widget+${Date.now()}@example.com`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await check('widgets: a shopper subscribes in the pop-up; the thank-you is announced, no serious axe violation', async () => {
      await page.goto(url);
      await page.waitForFunction(() => document.querySelector('ns-signup')?.shadowRoot?.querySelector('dialog[open]'));
      await page.locator('ns-signup input[name=email]').fill(email);
      await page.locator('ns-signup input[name=em]').check();
      await page.locator('ns-signup button[type=submit]').click();
      const status = await page.locator('ns-signup [role=status]').textContent();
      assertEqual(status, WELCOME.config.copy.fr.thanks, 'thank-you text');
      assertEqual(await axeSerious(page, ['ns-signup']), [], 'serious or critical axe violations (submitted)');
    });
    await check('widgets: the confirmation link from the outbox confirms, and the widget counts a confirmed sign-up', async () => {
      const contact = await eventually(() => contactByEmail(admin, email));
      const message = await eventually(async () => {
        const { messages } = await admin(`/api/messages?store=${DEMO.storeId}&contact=${contact.id}`);
        assertEqual(messages.length, 1, 'confirmation emails');
        return messages[0];
      });
      const link = /https?:\/\/[^\s"'<>]+\/p\/[A-Za-z0-9._~-]+/.exec(message.text)?.[0];
      assert(link, 'a confirmation link');
      await page.goto(link);
      await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
      await eventually(async () => {
        const { widgets } = await admin(`/api/stores/${DEMO.storeId}/widgets`);
        const results = widgets.find((w) => w.id === 'welcome')?.results;
        assert(results?.confirmed === 1 && results.submit >= 1 && results.view >= 1, `results ${JSON.stringify(results)}`);
      });
    });
  } finally {
    await context.close();
  }
  return { email, admin };
}

/** The coupon email from the outbox, the coupon in WooCommerce, an order using it, and the widget counting it. */
async function couponAndOrder({ check, browser, worker, adminToken, storefront, shopper }) {
  const { email, admin } = shopper;
  let code = '';
  await check('widgets: after the confirmation the shopper receives a single-use coupon, created in WooCommerce, in French', async () => {
    const contact = await contactByEmail(admin, email);
    const message = await eventually(async () => {
      const { messages } = await admin(`/api/messages?store=${DEMO.storeId}&contact=${contact.id}`);
      const found = messages.find((m) => m.subject?.startsWith('Votre code de bienvenue'));
      assert(found, `coupon email among ${messages.map((m) => m.subject).join(' | ')}`);
      return found;
    });
    assertEqual(message.subject, `Votre code de bienvenue chez ${DEMO.name} : 10 % de réduction`, 'subject');
    code = /NS-[2-9A-HJKMNP-Z]{8}/.exec(message.text)?.[0] ?? '';
    assert(code, `a code in ${message.text}`);
    assert(message.text.includes('Merci d’avoir confirmé votre adresse.') && message.text.includes(code), `the French text with the code: ${message.text}`);
    const coupon = storefront.coupons.find((c) => c.code === code.toLowerCase());
    assertEqual(coupon && [coupon.discount_type, coupon.amount, coupon.usage_limit, coupon.email_restrictions], ['percent', '10.00', 1, [email]], 'coupon in WooCommerce');
  });
  const total = 39;
  await check('widgets: an order with that coupon (signed order webhook) counts for the widget, in the API and the dashboard', async () => {
    await deliverOrder(worker, { id: 7300, email, lines: [{ productId: 502, name: 'Théière en fonte', price: total.toFixed(2) }], couponCodes: [code.toLowerCase()] });
    await eventually(async () => {
      const { widgets } = await admin(`/api/stores/${DEMO.storeId}/widgets`);
      const results = widgets.find((w) => w.id === 'welcome')?.results;
      assert(results?.confirmed === 1 && results.order === 1 && results.revenue === total, `results ${JSON.stringify(results)}`);
    }, { timeoutMs: 30_000 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.goto(`${worker.url}/admin/login?next=${encodeURIComponent(`/admin/stores/${DEMO.storeId}/widgets`)}`);
      await page.fill('input[name=token]', adminToken);
      await Promise.all([page.waitForURL('**/widgets'), page.click('button[type=submit]')]);
      const heads = await page.locator('table thead th').allInnerTexts();
      const cells = await page.locator('table tbody tr', { has: page.locator('th', { hasText: /^welcome$/ }) }).locator('td').allInnerTexts();
      const at = (label) => cells[heads.indexOf(label) - 1];
      assertEqual([at('Confirmées'), at('Commandes ensuite'), at('Chiffre d’affaires ensuite')?.replace(/\s/g, ' ')], ['1', '1', '39,00 €'], 'dashboard row');
    } finally {
      await context.close();
    }
  });
}

const PROMPT = { id: 'prm_e2e', title: 'Votre panier vous attend', body: 'Il reste un article.', lines: [{ name: 'Night owl mug', quantity: 1 }], cta: { label: 'Reprendre mon panier', url: '/cart' }, closeLabel: 'Fermer', lang: 'fr' };

/** The cart reminder as ui.js draws it (server answer stubbed), and the pop-up as a bottom banner on a phone. */
async function cartReminderAndPhone({ check, browser, url }) {
  await check('widgets: the cart reminder is labelled, branded, closes with Esc and tells the server', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.route('**/widgets/page**', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ lang: 'fr', brand: { primary: '#b4231f', accent: '#0b5cad' }, carousel: 'Produits recommandés', prompt: PROMPT, signups: [] }) }),
      );
          const dismissed = page.waitForRequest((r) => r.url().includes('/widgets/prompt/prm_e2e/dismiss') && r.method() === 'POST');
      await page.goto(url);
      const box = page.locator('ns-cart-reminder [role=dialog]');
      await box.waitFor();
      const state = await page.evaluate(() => {
        const root = document.querySelector('ns-cart-reminder').shadowRoot;
        const dialog = root.querySelector('[role=dialog]');
        return { label: root.getElementById(dialog.getAttribute('aria-labelledby')).textContent, close: root.querySelector('button.x').getAttribute('aria-label'), button: getComputedStyle(root.querySelector('a.b')).backgroundColor, fixed: getComputedStyle(dialog).position };
      });
      assertEqual(state, { label: PROMPT.title, close: 'Fermer', button: 'rgb(180, 35, 31)', fixed: 'fixed' }, 'cart reminder');
      assertEqual(await axeSerious(page, ['ns-cart-reminder']), [], 'serious or critical axe violations (cart reminder)');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('ns-cart-reminder'));
      await dismissed;
    } finally {
      await context.close();
    }
  });
  await check('widgets: on a 390 px phone the pop-up is a non-modal bottom banner, never full screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    try {
      const page = await context.newPage();
          await page.goto(url);
      await page.waitForFunction(() => document.querySelector('ns-signup')?.shadowRoot?.querySelector('dialog[open]'));
      const box = await page.evaluate(() => {
        const dialog = document.querySelector('ns-signup').shadowRoot.querySelector('dialog');
        const r = dialog.getBoundingClientRect();
        return { modal: dialog.matches(':modal'), bottom: Math.round(r.bottom), height: r.height, width: r.width };
      });
      assertEqual([box.modal, box.bottom], [false, 800], 'non-modal, at the bottom of the screen');
      assert(box.height <= 0.6 * 800 && box.width <= 390, `banner ${box.width}x${box.height} within the screen, at most 60 % high`);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('ns-signup'));
    } finally {
      await context.close();
    }
  });
}
