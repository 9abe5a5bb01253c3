// Issue 13's "after `npm install` and `npm run dev` on a fresh clone, the overview shows non-zero figures":
// the same seeding as `npm run dev` on a fresh local state (twice: the second run must change nothing), a
// worker of its own, the overview in Chromium at 1366 and 390 px, and the demo storefront's tracker accepted.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO, applyMigrations, d1Query, d1Read, demoStoreSql, freePort, poll, repoRoot, snapshotSources, startWorker } from './lib/local-worker.mjs';
import { assert, assertEqual } from './lib/checks.mjs';
import { configureDemoStore, demoEndDay, seedDemoHistory } from './lib/demo-seed.mjs';
import { buildDemoSeed } from './demo/seed-sql.mjs';
import { startDemoStorefront } from './demo/storefront.mjs';
import { CHROMIUM, FLAGS } from './dashboard.mjs';
import { DEMO_FLOWS, messageIdFor } from './demo/journeys.mjs';

const shots = join(repoRoot, 'e2e', '.screenshots');
const TABLES = ['contacts', 'consents', 'orders', 'order_items', 'carts', 'messages', 'provider_events', 'message_clicks', 'journey_enrollments', 'events', 'webhook_deliveries'];

// Reads made while `wrangler dev` writes to the same D1 go through d1Read, which retries what that contention throws.
const tableCounts = async (persistTo) =>
  (await d1Read(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t} WHERE store_id = 'demo') AS ${t}`).join(', ')}, (SELECT round(sum(total), 2) FROM orders WHERE store_id = 'demo') AS revenue`, { persistTo }))[0];

/** Invariants the product keeps and the seed must too; each query returns the rows that break one. */
const BROKEN = {
  'message key is <enrollment>:<step>': `SELECT id FROM messages WHERE store_id = 'demo' AND idempotency_key != enrollment_id || ':' || step_id`,
  'message of a missing enrollment': `SELECT m.id FROM messages m LEFT JOIN journey_enrollments e ON e.store_id = m.store_id AND e.id = m.enrollment_id WHERE m.store_id = 'demo' AND e.id IS NULL`,
  'email to a contact without email consent at that time': `SELECT m.id FROM messages m WHERE m.store_id = 'demo' AND m.channel = 'email' AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.store_id = 'demo' AND c.contact_id = m.contact_id AND c.channel = 'email' AND c.granted = 1 AND c.occurred_at <= m.created_at)`,
  'enrollment not ended': `SELECT id FROM journey_enrollments WHERE store_id = 'demo' AND (status = 'active' OR ended_at IS NULL)`,
  'order total differs from its lines': `SELECT o.id FROM orders o JOIN order_items i ON i.store_id = o.store_id AND i.order_id = o.id WHERE o.store_id = 'demo' GROUP BY o.id HAVING abs(sum(i.total) - o.total) > 0.005`,
  'provider event of a missing message': `SELECT p.id FROM provider_events p LEFT JOIN messages m ON m.id = p.message_id WHERE p.store_id = 'demo' AND m.id IS NULL`,
  'date in the future': `SELECT id FROM orders WHERE store_id = 'demo' AND created_at > strftime('%s', 'now') * 1000 UNION ALL SELECT id FROM messages WHERE store_id = 'demo' AND created_at > strftime('%s', 'now') * 1000`,
};

/** What the signed deliveries of live-orders.mjs produced: the orders, and the agents' own (non-seeded) enrollments. */
const LIVE_SQL = `SELECT (SELECT count(*) FROM orders WHERE store_id = 'demo' AND id BETWEEN 59997 AND 59999) AS orders,
  (SELECT count(*) FROM journey_enrollments WHERE store_id = 'demo' AND id NOT LIKE '%:demo%') AS enrollments`;

export async function devDemoChecks({ check, tmp }) {
  const persistTo = join(tmp, `dev-demo-state-${process.pid}`);
  const src = join(tmp, `dev-demo-src-${process.pid}`);
  rmSync(persistTo, { recursive: true, force: true });
  const [workerPort, shopPort] = [await freePort(), await freePort()];
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const shop = await startDemoStorefront({ port: shopPort, workerUrl });
  const adminToken = `demo-${process.pid}`;
  const seed = () => seedDemoHistory({ persistTo, shop: shop.origin, workerUrl, before: demoStoreSql({ origins: [shop.origin, workerUrl] }) });
  let worker;
  try {
    await applyMigrations({ persistTo });
    let first;
    await check('demo: npm run dev seeding fills a fresh store (contacts, orders, carts, messages with opens and clicks)', async () => {
      first = await seed();
      console.log(`      seeded in ${(first.ms / 1000).toFixed(1)} s from ${first.source}: ${JSON.stringify(first.counts)}`);
      const counts = await tableCounts(persistTo);
      for (const t of ['contacts', 'consents', 'orders', 'order_items', 'carts', 'messages', 'journey_enrollments', 'events']) assertEqual(counts[t], first.counts[t], `${t} rows`);
      assert(counts.contacts >= 200 && counts.orders >= 500 && counts.messages >= 100 && counts.message_clicks > 0, `a realistic volume: ${JSON.stringify(counts)}`);
      const sample = (await d1Query(`SELECT id, idempotency_key FROM messages WHERE store_id = 'demo' LIMIT 1`, { persistTo }))[0];
      assertEqual(sample.id, messageIdFor(sample.idempotency_key), 'message id derived as messageIdFor() derives it');
    });
    await check('demo: the seeded history keeps the schema invariants (keys, enrollments, consent, totals, dates)', async () => {
      // One wrangler start for all of them (D1 refuses long UNIONs): a column per rule, naming up to 3 rows that break it.
      const rules = Object.entries(BROKEN);
      const columns = rules.map(([, sql], i) => `(SELECT group_concat(id) FROM (${sql} LIMIT 3)) AS r${i}`);
      const [row] = await d1Query(`SELECT ${columns.join(', ')}`, { persistTo });
      const broken = rules.flatMap(([what], i) => (row[`r${i}`] === null ? [] : [`${what}: ${row[`r${i}`]}`]));
      assertEqual(broken, [], 'rows breaking an invariant');
    });
    await check('demo: without ../shared the seed falls back to a generated history of the same shape', async () => {
      const fallback = await buildDemoSeed({ endDay: demoEndDay(), shop: shop.origin, workerUrl, cdnowPath: join(tmp, 'no-such-cdnow.txt') });
      assertEqual(fallback.source, 'generated', 'history source');
      assert(fallback.counts.contacts >= 100 && fallback.counts.orders >= 200 && fallback.counts.messages >= 50, `generated volume: ${JSON.stringify(fallback.counts)}`);
    });
    await check('demo: seeding twice gives the same rows, not double', async () => {
      const before = await tableCounts(persistTo);
      await seed();
      assertEqual(await tableCounts(persistTo), before, 'row counts and revenue after a second run');
    });
    worker = await startWorker({ port: workerPort, persistTo, cwd: snapshotSources(src), vars: { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL: workerUrl } });
    const configure = () => configureDemoStore({ url: worker.url, adminToken, shop: shop.origin });
    const live = () => d1Read(LIVE_SQL, { persistTo }).then((rows) => rows[0]);
    await check('demo: the admin API switches the flows on; signed WooCommerce deliveries bring yesterday\'s orders into live journeys', async () => {
      const done = await configure();
      assertEqual(done.enabled.sort(), [...DEMO_FLOWS].sort(), 'flows switched on');
      assertEqual(done.liveOrders, 3, 'orders delivered as signed webhooks');
      const state = await poll(async () => ((await live()).orders === 3 && (await live()).enrollments >= 3 ? live() : null), { timeoutMs: 60_000, intervalMs: 1000 });
      assert(state, `live orders ingested and enrolled by the agents: ${JSON.stringify(await live())}`);
    });
    await check('demo: a second npm run dev (seed and configure again) changes nothing and keeps the live journeys', async () => {
      const before = { ...(await tableCounts(persistTo)), ...(await live()) };
      await seed();
      assertEqual((await configure()).enabled, [], 'flows switched on by the second run');
      const after = await poll(async () => {
        const now = { ...(await tableCounts(persistTo)), ...(await live()) };
        return now.orders === before.orders && now.events === before.events ? now : null;
      }, { timeoutMs: 60_000, intervalMs: 1000 });
      assertEqual(after, before, 'rows after the second run');
    });
    if (existsSync(CHROMIUM)) await browse({ check, worker, adminToken, shop, persistTo });
  } finally {
    await worker?.stop();
    await shop.close();
    if (!process.env.E2E_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
  }
}

/** The figures of the overview's counts and sending-rates table, read by their labels (English). */
async function overviewFigures(page) {
  return page.evaluate(() => {
    // Figures are written the reader's way ("1,684", "1 684"): only their digits count here.
    const digits = (text) => (text ?? '').replace(/\D/g, '');
    const dd = (label) => digits([...document.querySelectorAll('dt')].find((dt) => dt.textContent.trim() === label)?.nextElementSibling?.textContent);
    const headers = [...document.querySelectorAll('table thead th')].map((th) => th.textContent.trim());
    const sentCol = headers.indexOf('Sent');
    const sent = [...document.querySelectorAll('table tbody tr')].reduce((s, tr) => s + Number(digits(tr.children[sentCol]?.textContent) || 0), 0);
    return { contacts: Number(dd('Contacts')), orders: Number(dd('Orders')), sent, scrollWidth: document.documentElement.scrollWidth };
  });
}

async function browse({ check, worker, adminToken, shop, persistTo }) {
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-demo-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
    const page = context.pages()[0] ?? (await context.newPage());
    await check('demo: signed in with the admin token, the overview shows non-zero contacts, orders and sent messages (1366 and 390 px)', async () => {
      await page.goto(`${worker.url}/admin/login?lang=en`);
      await page.fill('input[name=token]', adminToken);
      await Promise.all([page.waitForURL('**/admin/stores**'), page.click('button[type=submit]')]);
      await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}`);
      const figures = await overviewFigures(page);
      assert(figures.contacts > 0 && figures.orders > 0 && figures.sent > 0, `overview figures: ${JSON.stringify(figures)}`);
      await page.screenshot({ path: join(shots, 'demo-overview-1366.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      assert((await overviewFigures(page)).contacts === figures.contacts, 'same figures on a phone');
      await page.screenshot({ path: join(shots, 'demo-overview-390.png'), fullPage: true });
      await page.setViewportSize({ width: 1366, height: 900 });
    });
    await check('demo: the messages page lists seeded emails with their rendered French or English subject', async () => {
      await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}/messages`);
      const rows = await page.locator('tbody tr').count();
      assert(rows >= 10, `messages listed: ${rows}`);
      const text = await page.locator('tbody').innerText();
      assert(/Vous avez oublié|Vous nous manquez|Bienvenue|Profitez pleinement|Notre sélection|Toujours en réflexion|We miss you|Welcome|forgot/i.test(text), `rendered subjects: ${text.slice(0, 200)}`);
    });
    await check('demo: a customer\'s page shows their orders and journeys, seeded and live (customer 41)', async () => {
      await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}/contacts/c_demo_00041?limit=500`);
      const section = (title) => page.locator('section', { has: page.locator('h2', { hasText: title }) }).locator('tbody tr');
      const [orders, journeys] = [await page.locator('li.entry[data-kind=order]').count(), await section(/Journeys|Enrollments/).count()];
      assert(orders >= 2 && journeys >= 1, `orders ${orders}, journeys ${journeys}`);
      assert((await page.locator('body').innerText()).includes(String(59997)), 'yesterday\'s order delivered as a signed webhook is listed');
      await page.screenshot({ path: join(shots, 'demo-contact-1366.png'), fullPage: true });
    });
    await check('demo: the demo storefront (another origin) is accepted: a product view and a cart reach the demo store', async () => {
      const cartsBefore = (await d1Read(`SELECT count(*) AS n FROM carts WHERE store_id = 'demo'`, { persistTo }))[0].n;
      await page.goto(`${shop.origin}/produit/101-the-vert-sencha-bio-100-g`);
      await Promise.all([page.waitForURL('**/panier'), page.click('#add')]);
      const visitor = await poll(() => page.evaluate(() => window.nightshift?.visitorId?.()), { timeoutMs: 10_000 });
      assert(visitor, 'the tracker gave the visitor an id');
      await page.evaluate(() => window.nightshift.flush());
      const types = await poll(async () => {
        const rows = await d1Read(`SELECT type FROM events WHERE store_id = 'demo' AND visitor_id = '${visitor.replaceAll("'", '')}'`, { persistTo });
        const seen = rows.map((r) => r.type);
        return seen.includes('product_view') && seen.includes('cart_updated') ? seen : null;
      }, { timeoutMs: 30_000, intervalMs: 1000 });
      assert(types, 'product_view and cart_updated recorded for the storefront visitor');
      const cartsAfter = (await d1Read(`SELECT count(*) AS n FROM carts WHERE store_id = 'demo'`, { persistTo }))[0].n;
      assertEqual(cartsAfter, cartsBefore + 1, 'carts');
      await page.screenshot({ path: join(shots, 'demo-storefront-cart.png'), fullPage: true });
    });
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
