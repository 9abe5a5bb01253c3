// A split test and a holdout measured end to end on real timers, on a `wrangler dev` of its own: the cart flow
// is replaced (PUT /api/flows/:id/definition) by a 50/50 test of one email against two, with a 10 % holdout;
// a few hundred shoppers leave a cart through signed plugin-bridge beacons; some click their last email and
// some (held out or not) pay through signed WooCommerce order webhooks. Then GET /api/flows/:id/stats and the
// dashboard's results page must agree with the messages (GET /api/messages) and the orders we sent.
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, applyMigrations, d1Query, freePort, seedDemoStore, snapshotSources, startWorker } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually, trackFailures } from './lib/checks.mjs';
import { assertNoHorizontalScroll, onAdminPhone } from './flow-results.mjs';
import { adminClient, cartBatch, middayZone, paidOrderDelivery, postSigned } from './lib/journey-kit.mjs';
import { loadWooFixtures } from './lib/woo-fixtures.mjs';

const FLOW = 'abandoned-cart';
const SHOPPERS = 220;
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
/** A click sooner than this after the send is taken for a link scanner (worker/measurement/classify.ts). */
const SCANNER_CLICK_MS = 10_000;

const email = (id, next) => ({ type: 'send_email', id, transactional: true, template: 'cart.reminder.1', ...(next ? { next } : {}) });
const wait = (id, duration, next) => ({ type: 'wait', id, until: { kind: 'duration', duration }, next });

/** Branch `one`: one email 2 s after the cart; branch `two`: the same, then a second 3 s later. */
const DEFINITION = {
  schemaVersion: 1,
  id: FLOW,
  version: 1,
  name: 'Cart reminder length test',
  enabled: true,
  holdoutPercent: 10,
  reentry: { mode: 'once' },
  nodes: [
    { type: 'trigger', id: 'cart', on: { kind: 'event', event: 'cart_updated', where: [] }, next: 'split' },
    { type: 'split', id: 'split', experiment: 'length', branches: [{ key: 'one', weight: 1, next: 'one_wait' }, { key: 'two', weight: 1, next: 'two_wait' }] },
    wait('one_wait', '2s', 'one_1'), email('one_1'),
    wait('two_wait', '2s', 'two_1'), email('two_1', 'two_gap'), wait('two_gap', '3s', 'two_2'), email('two_2'),
  ],
};

async function startExperimentWorker(tmp) {
  const persistTo = join(tmp, `experiment-state-${process.pid}`);
  const src = join(tmp, `experiment-src-${process.pid}`);
  rmSync(persistTo, { recursive: true, force: true });
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  await d1Query(`UPDATE stores SET timezone = '${middayZone()}' WHERE id = '${DEMO.storeId}'`, { persistTo });
  const adminToken = `e2e-x-${randomBytes(12).toString('hex')}`;
  const logPath = join(tmp, `experiment-wrangler-${process.pid}.log`);
  const port = await freePort();
  // Links in the emails point at this worker, so the harness can click them.
  const vars = { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
  const worker = await startWorker({ port, persistTo, cwd: snapshotSources(src), logFile: createWriteStream(logPath), vars });
  const cleanup = async (failed) => {
    await worker.stop();
    if (!process.env.E2E_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
    if (failed) console.log(`flow experiment wrangler dev log: ${logPath}`);
    else rmSync(logPath, { force: true });
  };
  return { worker, adminToken, admin: adminClient(worker.url, adminToken), cleanup };
}

/** Runs `fn` over `items`, `width` at a time (the worker shares two cores with the harness). */
async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}

/** Each shopper's branch as the messages tell it: `held` got nothing, `one` one_1, `two` two_1 then two_2. */
function branchOf(messages) {
  const steps = messages.filter((m) => m.flowId === FLOW).map((m) => m.stepId).sort().join(',');
  return { '': 'held', one_1: 'one', 'two_1,two_2': 'two' }[steps] ?? `unexpected:${steps}`;
}

async function clickLastEmail(worker, messages) {
  const last = messages.filter((m) => m.flowId === FLOW).sort((a, b) => b.createdAt - a.createdAt)[0];
  const link = /href="([^"]*\/c\/[^"]+)"/.exec(last.html ?? '')?.[1]?.replaceAll('&amp;', '&');
  assert(link, `a tracked link in ${last.stepId}`);
  await new Promise((r) => setTimeout(r, Math.max(0, last.createdAt + SCANNER_CLICK_MS + 1_000 - Date.now())));
  const res = await fetch(link.replace(/^https?:\/\/[^/]+/, worker.url), { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
  assert(res.status === 302, `click: HTTP ${res.status}`);
}

async function placeOrder(worker, shopper, orderId) {
  const order = paidOrderDelivery({ secret: DEMO.webhookSecret, email: shopper.email, orderId });
  const res = await fetch(`${worker.url}/webhooks/woocommerce/${DEMO.storeId}`, { method: 'POST', headers: order.headers, body: order.body });
  assert(res.ok, `order delivery: HTTP ${res.status}`);
}

/** Shoppers in: a cart each, read back as contacts; then everyone's messages once the last wait is over. */
async function runShoppers({ worker, admin }, run) {
  const shoppers = Array.from({ length: SHOPPERS }, (_, i) => ({ i, email: `e2e.split.${i}+${run}@example.com` }));
  await pool(shoppers, 6, (s) => postSigned(worker.url, DEMO.webhookSecret, cartBatch({ storeId: DEMO.storeId, visitorId: `v_split_${run}_${s.i}`, email: s.email })));
  await pool(shoppers, 6, async (s) => {
    s.contactId = await eventually(async () => {
      const { contacts } = await admin.get(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(s.email)}`);
      assertEqual(contacts.length, 1, `contacts with email ${s.email}`);
      return contacts[0].id;
    }, { timeoutMs: 60_000, intervalMs: 500 });
  });
  // Every treated shopper's branch is done: one_1, or two_1 and two_2 (held-out shoppers wait as long, silently).
  await eventually(async () => {
    const { results } = await admin.get(`/api/flows/${FLOW}/experiments?store=${DEMO.storeId}`);
    const [test] = results.experiments;
    assertEqual(test.branches.reduce((n, b) => n + b.entered, 0) + results.holdout.heldOut.entered, SHOPPERS, 'entrants');
  }, { timeoutMs: 60_000, intervalMs: 1_000 });
  await new Promise((r) => setTimeout(r, 8_000));
  await pool(shoppers, 6, async (s) => {
    s.messages = (await admin.get(`/api/messages?store=${DEMO.storeId}&contact=${s.contactId}&limit=50`)).messages;
    s.branch = branchOf(s.messages);
  });
  return shoppers;
}

function tally(shoppers, buyers) {
  const count = (branch) => shoppers.filter((s) => s.branch === branch).length;
  const bought = (branch) => buyers.filter((s) => s.branch === branch).length;
  return { one: count('one'), two: count('two'), held: count('held'), boughtOne: bought('one'), boughtTwo: bought('two'), boughtHeld: bought('held') };
}

async function pageAgrees({ check, worker, adminToken, stats }) {
  const path = `/admin/stores/${DEMO.storeId}/flows/${FLOW}/results`;
  await check('flow experiment: the dashboard page shows the same branches and holdout on a 390 px phone', () =>
    onAdminPhone({ worker, adminToken, path }, async (page) => {
      const cells = async (first) => page.locator(`tr:has(td:text-is("${first}")) td`).allTextContents();
      const [one, two] = stats.experiment.experiments[0].branches;
      assertEqual((await cells('one (témoin)')).slice(2, 4), [String(one.entered), String(one.converted)], 'branch one: recipients, conversions');
      assertEqual((await cells('two')).slice(2, 4), [String(two.entered), String(two.converted)], 'branch two: recipients, conversions');
      const { treated, heldOut } = stats.experiment.holdout;
      assertEqual((await cells('Contacts traités')).slice(1, 3), [String(treated.entered), String(treated.converted)], 'treated');
      assertEqual((await cells('Groupe témoin')).slice(1, 3), [String(heldOut.entered), String(heldOut.converted)], 'held out');
      assertEqual(Number(await page.locator('dt:text-is("Envoyés") + dd').first().textContent()), stats.totals.sent, 'sent');
      assert(await page.locator('form.end-test button[type=submit]').isVisible(), 'the End-test button');
      await assertNoHorizontalScroll(page);
      // A flow with no test offers the form that starts one, on the same phone.
      await page.goto(`${worker.url}/admin/stores/${DEMO.storeId}/flows/welcome/results`);
      assert(await page.locator('#ab button[type=submit]').isVisible(), 'the start-a-test form');
      assertEqual(await page.locator('#ab select').count(), 6, 'step slots of branch B');
      await assertNoHorizontalScroll(page);
    }),
  );
}

export async function flowExperimentChecks({ check, tmp }) {
  let env;
  const tracked = trackFailures(check);
  const guarded = tracked.check;
  try {
    env = await startExperimentWorker(tmp);
    const { worker, admin } = env;
    const run = randomBytes(3).toString('hex');
    let shoppers = [];
    let buyers = [];
    let finalStats;
    await guarded('flow experiment: a 50/50 split of whole sequences with a 10 % holdout is saved as a new version', async () => {
      await admin.patch(`/api/stores/${DEMO.storeId}/settings`, { fromEmail: 'bonjour@demo.example', postalAddress: '1 rue de la Démo, 75001 Paris' });
      const { flow: before } = await admin.get(`/api/flows/${FLOW}?store=${DEMO.storeId}`);
      const res = await fetch(`${worker.url}/api/flows/${FLOW}/definition?store=${DEMO.storeId}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${env.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ definition: DEFINITION, expectedVersion: before.version }),
      });
      assertEqual(res.status, 200, `PUT definition: ${await res.clone().text()}`);
      assertEqual((await res.json()).flow.version, before.version + 1, 'new version');
    });
    if (tracked.failed) return;
    const started = Date.now();
    await guarded(`flow experiment: ${SHOPPERS} shoppers walk the split on real timers; the held out receive nothing`, async () => {
      shoppers = await runShoppers(env, run);
      const odd = shoppers.filter((s) => s.branch.startsWith('unexpected'));
      assertEqual(odd.map((s) => s.branch), [], 'shoppers whose messages fit no branch');
      const t = tally(shoppers, []);
      assert(t.held >= 8 && t.held <= 40, `held out ${t.held} of ${SHOPPERS} (10 %)`);
      assert(Math.abs(t.one - t.two) <= 50, `branches ${t.one} and ${t.two} (50/50)`);
    });
    if (tracked.failed) return;
    await guarded('flow experiment: every third shopper pays (treated ones after clicking their last email)', async () => {
      buyers = shoppers.filter((s) => s.i % 3 === 0);
      await pool(buyers.filter((s) => s.branch !== 'held'), 6, (s) => clickLastEmail(worker, s.messages));
      await pool(buyers, 4, (s) => placeOrder(worker, s, 700_000 + s.i));
    });
    await guarded('flow experiment: GET /api/flows/:id/stats agrees with the messages and orders recorded', async () => {
      const t = tally(shoppers, buyers);
      const stats = await eventually(async () => {
        const s = await admin.get(`/api/flows/${FLOW}/stats?store=${DEMO.storeId}`);
        const [one, two] = s.experiment.experiments[0].branches;
        assertEqual([one.key, one.entered, one.converted, two.key, two.entered, two.converted], ['one', t.one, t.boughtOne, 'two', t.two, t.boughtTwo], 'branches: recipients and conversions');
        assertEqual([s.experiment.holdout.heldOut.entered, s.experiment.holdout.heldOut.converted], [t.held, t.boughtHeld], 'holdout: entered and converted');
        // Credited orders: only the treated buyers, who clicked; a held-out order is credited to no message.
        assertEqual(s.totals.converted, t.boughtOne + t.boughtTwo, 'orders credited');
        return s;
      }, { timeoutMs: 30_000, intervalMs: 1_000 });
      const sent = shoppers.reduce((n, s) => n + s.messages.filter((m) => m.flowId === FLOW && (m.status === 'sent' || m.status === 'outbox')).length, 0);
      assertEqual(stats.totals.sent, sent, 'sent: stats vs /api/messages');
      assertEqual(sent, t.one + 2 * t.two, 'one email on branch one, two on branch two, none held out');
      const bySteps = Object.fromEntries(stats.steps.map((s) => [s.stepId, s.sent]));
      assertEqual([bySteps.one_1, bySteps.two_1, bySteps.two_2], [t.one, t.two, t.two], 'sent per step');
      const total = Number(loadWooFixtures().find((f) => f.name === 'order.updated.processing').json.total);
      const revenue = stats.experiment.holdout.treated.revenue + stats.experiment.holdout.heldOut.revenue;
      assertEqual(Math.round(revenue * 100), Math.round(buyers.length * total * 100), 'revenue: treated + held out vs the orders sent');
      console.log(`  ${SHOPPERS} shoppers: one ${t.one}, two ${t.two}, held out ${t.held}; orders ${buyers.length}; ${Math.round((Date.now() - started) / 1000)} s`);
      finalStats = stats;
    });
    if (finalStats) await pageAgrees({ check: guarded, worker, adminToken: env.adminToken, stats: finalStats });
  } catch (e) {
    tracked.failed = true;
    await check('flow experiment: harness set-up', () => {
      throw e;
    });
  } finally {
    await env?.cleanup(tracked.failed);
  }
}
