// Orders stop the cart cascade at once, on `wrangler dev` over HTTP (a worker of its own):
// - six shoppers (classic and block checkout × cheque, cash on delivery, card) fill a cart and type their email
//   at checkout (the plugin's signed capture), then place the order: the plugin's signed `order_placed` ends the
//   cart flow (time measured from the POST to the enrollment's end), and the order webhook arrives 3 minutes
//   later, long after the reminder was due (idle wait shortened to 5 s): no cart message ever goes out;
// - the webhook delay on a site without visitors, with and without the minute tick: two fake WordPress sites
//   hold deliveries as Action Scheduler does; the worker's `* * * * *` trigger (fired through wrangler's
//   /__scheduled at each wall-clock minute, as Cloudflare's scheduler would) calls the ticked site's signed
//   endpoint; the other site waits for a visitor.
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, d1Query, freePort, repoRoot, snapshotSources, startWorker, wooSignature } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { adminClient, enableAbandonedCart, postSigned, seedStores } from './lib/journey-kit.mjs';
import { startFakeWordPress } from './lib/fake-wordpress.mjs';

const LATE_MS = Number(process.env.E2E_LATE_WEBHOOK_MS ?? 180_000);
const STORE = { id: 'demo-orders', webhookSecret: 'whsec_demo_orders_local' };
const moreDir = join(repoRoot, '..', 'shared', 'fixtures', 'woocommerce-more');
const manifest = JSON.parse(readFileSync(join(moreDir, 'manifest.json'), 'utf8'));
const fixture = (name) => {
  const f = manifest.fixtures.find((x) => x.name === name);
  return { text: readFileSync(join(moreDir, f.raw_body), 'utf8'), headers: JSON.parse(readFileSync(join(moreDir, f.headers), 'utf8')) };
};
const HOP = new Set(['host', 'content-length', 'connection', 'accept-encoding']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 'none' : `n=${s.length} min ${s[0]} median ${s[Math.floor(s.length / 2)]} max ${s.at(-1)}`;
};

/** The captured order of that kind, made this shopper's, dated `at`, from that checkout, signed. */
function orderWebhook({ method, checkout, email, orderId, at, secret }) {
  const base = fixture(method === 'cheque' ? 'order.created.store-api' : 'order.created.classic-cod');
  const stamp = new Date(at).toISOString().slice(0, 19);
  let text = base.text
    .replace(/^\{"id":\d+,/, `{"id":${orderId},`)
    .replace(/"email":"[^"]*"/g, `"email":"${email}"`)
    .replace(/"customer_id":\d+/, '"customer_id":0')
    .replace(/"created_via":"[^"]*"/, `"created_via":"${checkout === 'block' ? 'store-api' : 'checkout'}"`)
    .replace(/"(date_(?:created|modified)(?:_gmt)?)":"[^"]+"/g, `"$1":"${stamp}"`);
  if (method === 'card') text = text.replace(/"date_paid":null/, `"date_paid":"${stamp}"`).replace(/"date_paid_gmt":null/, `"date_paid_gmt":"${stamp}"`);
  const body = Buffer.from(text);
  const headers = Object.fromEntries(base.headers.filter(([k]) => !HOP.has(k.toLowerCase())));
  headers['X-WC-Webhook-Signature'] = wooSignature(secret, body);
  headers['X-WC-Webhook-Delivery-ID'] = randomBytes(16).toString('hex');
  return { headers, body };
}

const cart = { items: [{ productId: 12, quantity: 2, price: 8.9, name: 'Savon artisanal lavande' }], value: 17.8, currency: 'EUR' };
const ev = (type, props) => ({ id: `${type}_${randomBytes(6).toString('hex')}`, type, ts: Date.now(), ...props });

async function placeAndMeasure({ worker, admin, shopper }) {
  const { email, visitorId, checkout, orderId } = shopper;
  const send = (events) => postSigned(worker.url, STORE.webhookSecret, JSON.stringify({ store: STORE.id, visitorId, events }));
  await send([ev('cart_updated', { cart })]);
  // The checkout's email capture (wc-ajax=nightshift_capture), as the plugin sends it.
  await send([ev('identify', { email, source: 'checkout', consent: { emailMarketing: true } }), ev('checkout_started', { cart })]);
  const contact = await eventually(async () => {
    const [c] = (await admin.get(`/api/contacts?store=${STORE.id}&email=${encodeURIComponent(email)}`)).contacts;
    const view = await admin.get(`/api/contacts/${c.id}?store=${STORE.id}`);
    assertEqual(view.journeys.running.map((r) => r.flowId), ['abandoned-cart'], `${email}: enrolled by the capture`);
    return c;
  }, { timeoutMs: 20_000, intervalMs: 50 });
  const order = ev('order_placed', { orderId, status: 'pending', total: 17.8, currency: 'EUR', email, via: checkout === 'block' ? 'store-api' : 'checkout', items: [{ productId: 12, quantity: 2, price: 8.9 }] });
  const events = checkout === 'block' ? [order] : [ev('identify', { email, source: 'checkout', consent: { emailMarketing: true } }), order];
  const placedAt = Date.now();
  await send(events);
  const ended = await eventually(async () => {
    const view = await admin.get(`/api/contacts/${contact.id}?store=${STORE.id}`);
    const e = view.journeys.enrollments.find((x) => x.flowId === 'abandoned-cart');
    assertEqual([e?.status, e?.exitReason], ['exited', 'event:order.placed'], `${email}: the cart flow ended on the order`);
    return e;
  }, { timeoutMs: 20_000, intervalMs: 20 });
  return { contact, placedAt, exitMs: ended.endedAt - placedAt };
}

/** Fires the `* * * * *` trigger at each wall-clock minute until `until`, as Cloudflare's scheduler does. */
// Fires on wall-clock minute boundaries, as Cloudflare's cron does, until `done()` says every
// queued delivery went out (or a hard cap): stopping at a fixed time could leave the last
// delivery queued just after the last boundary, with no tick to carry it.
async function minuteTrigger(workerUrl, done, cap) {
  const fired = [];
  for (;;) {
    const next = Math.ceil((Date.now() + 1) / 60_000) * 60_000;
    if (done() || next > cap) return fired;
    await sleep(next - Date.now());
    const res = await fetch(`${workerUrl}/__scheduled?cron=*+*+*+*+*`);
    fired.push({ at: next, status: res.status });
  }
}

export async function checkoutOrderChecks({ check, tmp }) {
  const persistTo = join(tmp, `orders-state-${process.pid}`);
  const src = join(tmp, `orders-src-${process.pid}`);
  const logPath = join(tmp, `orders-wrangler-${process.pid}.log`);
  const port = await freePort();
  const workerUrl = `http://127.0.0.1:${port}`;
  const quiet = { id: 'demo-quiet-tick', webhookSecret: 'whsec_quiet_tick_local' };
  const unticked = { id: 'demo-quiet-none', webhookSecret: 'whsec_quiet_none_local' };
  const ticked = await startFakeWordPress({ secret: quiet.webhookSecret, deliverTo: `${workerUrl}/webhooks/woocommerce/${quiet.id}` });
  const plain = await startFakeWordPress({ secret: unticked.webhookSecret, deliverTo: `${workerUrl}/webhooks/woocommerce/${unticked.id}` });
  let worker;
  let failed = false;
  const guarded = (name, fn) => check(name, async () => {
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
  try {
    await guarded('orders: a worker of its own (--test-scheduled), a store with the cart flow, two quiet WordPress sites', async () => {
      rmSync(persistTo, { recursive: true, force: true });
      await applyMigrations({ persistTo });
      await seedStores([STORE, { ...quiet, siteUrl: ticked.url }, { ...unticked, siteUrl: plain.url }], { persistTo });
      // Only the ticked site has the plugin connected; the other stands for a site without the tick.
      await d1Query(`UPDATE stores SET connected_at = ${Date.now()} WHERE id = '${quiet.id}'`, { persistTo });
      const adminToken = `e2e-o-${randomBytes(12).toString('hex')}`;
      worker = await startWorker({
        port, persistTo, cwd: snapshotSources(src), logFile: createWriteStream(logPath), extraArgs: ['--test-scheduled'],
        vars: { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL: workerUrl },
      });
      worker.admin = adminClient(worker.url, adminToken);
      await enableAbandonedCart(worker.admin, STORE.id, { idleDelay: '5s', openWindow: '5s', audienceDelay: '1h', incentiveEnabled: false, promptEnabled: false });
    });
    if (!worker) return;
    const { admin } = worker;
    const run = randomBytes(3).toString('hex');
    const shoppers = ['classic', 'block'].flatMap((checkout, i) =>
      ['cheque', 'cod', 'card'].map((method, j) => ({
        checkout, method, orderId: 5000 + i * 10 + j,
        email: `e2e.${checkout}.${method}+${run}@example.com`, visitorId: `v_e2e_${checkout}_${method}_${run}`,
      })),
    );

    // The quiet sites: one delivery queued every 30 s while nobody visits.
    const windowStart = Date.now();
    const windowEnd = windowStart + Math.max(LATE_MS, 150_000) + 10_000;
    const delivery = fixture('order.created.store-api');
    let queued = false;
    const queueing = (async () => {
      for (let k = 0; k < 6 && Date.now() + 30_000 * (k > 0 ? 1 : 0) < windowEnd; k++) {
        if (k > 0) await sleep(30_000);
        for (const [site, secret] of [[ticked, quiet.webhookSecret], [plain, unticked.webhookSecret]]) {
          const body = Buffer.from(delivery.text);
          const headers = Object.fromEntries(delivery.headers.filter(([h]) => !HOP.has(h.toLowerCase())));
          headers['X-WC-Webhook-Signature'] = wooSignature(secret, body);
          headers['X-WC-Webhook-Delivery-ID'] = randomBytes(16).toString('hex');
          site.queue(`d${k}`, headers, body);
        }
      }
      queued = true;
    })();
    const trigger = minuteTrigger(worker.url, () => queued && ticked.pending.length === 0, windowEnd + 120_000);

    const placed = [];
    await guarded('orders: classic and block checkout by cheque, COD and card end the cart flow at once (plugin order_placed)', async () => {
      placed.push(...(await Promise.all(shoppers.map((shopper) => placeAndMeasure({ worker, admin, shopper }).then((r) => ({ ...shopper, ...r }))))));
      console.log(`    measured: "Place order" (signed order_placed POST) → cart flow exit, ms: ${stats(placed.map((p) => p.exitMs))}`);
      for (const p of placed) console.log(`      ${p.checkout}/${p.method}: ${p.exitMs} ms`);
    });

    await guarded(`orders: the order webhooks arrive ${Math.round(LATE_MS / 1000)} s late (reminder was due after 5 s): no cart message, one enrollment each`, async () => {
      assertEqual(placed.length, shoppers.length, 'every order placed');
      const first = Math.min(...placed.map((p) => p.placedAt));
      await sleep(Math.max(0, first + LATE_MS - Date.now()));
      for (const p of placed) {
        const { headers, body } = orderWebhook({ ...p, at: p.placedAt, secret: STORE.webhookSecret });
        const res = await fetch(`${worker.url}/webhooks/woocommerce/${STORE.id}`, { method: 'POST', headers, body });
        assertEqual(res.status, 200, `${p.checkout}/${p.method}: webhook accepted`);
      }
      for (const p of placed) {
        await eventually(async () => {
          const view = await admin.get(`/api/contacts/${p.contact.id}?store=${STORE.id}`);
          assertEqual(view.orders.map((o) => o.id), [p.orderId], `${p.checkout}/${p.method}: order stored`);
          assertEqual(view.journeys.enrollments.map((e) => [e.flowId, e.status]), [['abandoned-cart', 'exited']], `${p.checkout}/${p.method}: one enrollment`);
          assertEqual(view.journeys.pendingTimers, [], `${p.checkout}/${p.method}: no timer left`);
        }, { timeoutMs: 30_000, intervalMs: 300 });
        const { messages } = await admin.get(`/api/messages?store=${STORE.id}&contact=${p.contact.id}`);
        assertEqual(messages, [], `${p.checkout}/${p.method}: cart messages`);
      }
    });

    await guarded('webhook delay on a site without visitors: with the minute tick ≤ ~60 s; without it, until the next visitor', async () => {
      await queueing;
      const fired = await trigger;
      assert(fired.length >= 2 && fired.every((f) => f.status === 200), `minute trigger fired: ${JSON.stringify(fired)}`);
      await eventually(() => assertEqual(ticked.pending.length, 0, 'ticked site: pending deliveries'), { timeoutMs: 70_000, intervalMs: 500 });
      // The scheduled handler ticks in waitUntil: /__scheduled answers before the last trigger's tick has arrived.
      await eventually(() => assert(ticked.ticks.length >= fired.length, `ticks received: ${ticked.ticks.length} of ${fired.length} triggers`), { timeoutMs: 15_000, intervalMs: 250 });
      assert(ticked.ticks.every((t) => t.ok), 'every tick signed and accepted');
      const withTick = ticked.delivered.map((d) => Math.round((d.deliveredAt - d.queuedAt) / 1000));
      assert(ticked.delivered.every((d) => d.by === 'tick' && d.status === 200), 'delivered by the tick, accepted by the worker');
      assert(Math.max(...withTick) <= 65, `with the tick, every delivery within ~60 s: ${withTick}`);
      assertEqual(plain.delivered.length, 0, 'site without the tick: nothing delivered while nobody visits');
      const waited = plain.pending.map((d) => Math.round((Date.now() - d.queuedAt) / 1000));
      await plain.visit();
      const withoutTick = plain.delivered.map((d) => Math.round((d.deliveredAt - d.queuedAt) / 1000));
      console.log(`    measured: webhook delay with the tick, s: ${stats(withTick)} (deliveries queued every 30 s, ${fired.length} minute triggers)`);
      console.log(`    measured: without the tick, no visitor for ${Math.round((Date.now() - windowStart) / 1000)} s: ${waited.length} deliveries still waiting (${stats(waited)} s so far); delivered only when a visitor came: ${stats(withoutTick)} s`);
    });
  } finally {
    await worker?.stop();
    await ticked.close();
    await plain.close();
    if (!process.env.E2E_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
    if (failed) console.log(`orders wrangler dev log: ${logPath}`);
    else rmSync(logPath, { force: true });
  }
}
