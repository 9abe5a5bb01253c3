// The abandoned-cart cascade end to end on `wrangler dev`, on real time: waits shortened through
// PATCH /api/flows/abandoned-cart, signed plugin-bridge beacons, real Durable Object alarms, the outbox
// for one store and the SEND queue → a local Postmark fake over HTTP for another, then a paid
// WooCommerce order. Everything is read back through GET /api/messages and GET /api/contacts/:id.
//
// It runs on a worker of its own: Postmark takes only an HTTPS List-Unsubscribe URL, so this worker's
// PUBLIC_BASE_URL is https://nightshift-e2e.invalid (links in these emails are never followed here),
// while the main e2e worker keeps an http PUBLIC_BASE_URL that Chromium can open.
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, applyMigrations, d1Query, freePort, seedDemoStore, sha256Hex, snapshotSources, startWorker } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { adminClient, cartBatch, enableAbandonedCart, middayZone, paidOrderDelivery, postSigned, seedStores } from './lib/journey-kit.mjs';
import { startPostmarkFake } from './lib/postmark-fake.mjs';

const PM_STORE = { id: 'demo-pm', name: 'Demo store with Postmark', webhookSecret: 'whsec_demo_pm_local' };
const PM_TOKEN = `pm-e2e-${randomBytes(6).toString('hex')}`;
const PUBLIC_BASE_URL = 'https://nightshift-e2e.invalid';
/** Outbox store: email after 5 s idle, SMS when not opened within 5 s, audience 15 s after the cart. */
const OUTBOX_SETTINGS = { idleDelay: '5s', openWindow: '5s', audienceDelay: '15s', incentiveEnabled: false };
/** Postmark store: the SMS would follow 20 s after the email, unless the order comes first. */
const PM_SETTINGS = { idleDelay: '5s', openWindow: '20s', audienceDelay: '40s', incentiveEnabled: false };
const OPEN_WINDOW_MS = 20_000;

const byStep = (messages, stepId) => messages.filter((m) => m.stepId === stepId);

async function startJourneyWorker({ tmp, fake }) {
  const persistTo = join(tmp, `journeys-state-${process.pid}`);
  const src = join(tmp, `journeys-src-${process.pid}`);
  rmSync(persistTo, { recursive: true, force: true });
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  // Daytime for the contacts, whatever time the harness runs: SMS are never sent at night.
  await d1Query(`UPDATE stores SET timezone = '${middayZone()}' WHERE id = '${DEMO.storeId}'`, { persistTo });
  await seedStores([PM_STORE], { persistTo });
  const adminToken = `e2e-j-${randomBytes(12).toString('hex')}`;
  const logPath = join(tmp, `journeys-wrangler-${process.pid}.log`);
  const worker = await startWorker({
    port: await freePort(),
    persistTo,
    cwd: snapshotSources(src),
    logFile: createWriteStream(logPath),
    vars: { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL, POSTMARK_BASE_URL: fake.url },
  });
  const cleanup = async (failed) => {
    await worker.stop();
    if (!process.env.E2E_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
    if (failed) console.log(`journeys wrangler dev log: ${logPath}`);
    else rmSync(logPath, { force: true });
  };
  return { worker, admin: adminClient(worker.url, adminToken), cleanup };
}

async function contactOf(admin, storeId, email) {
  return eventually(async () => {
    const { contacts } = await admin.get(`/api/contacts?store=${storeId}&email=${encodeURIComponent(email)}`);
    assertEqual(contacts.length, 1, `contacts with email ${email}`);
    return contacts[0];
  });
}

const messagesOf = async (admin, storeId, contactId) => (await admin.get(`/api/messages?store=${storeId}&contact=${contactId}`)).messages;

export async function journeyChecks({ check, tmp }) {
  const fake = await startPostmarkFake({ tokens: { [PM_TOKEN]: PM_STORE.id } });
  let env;
  let failedBefore = false;
  const run = randomBytes(3).toString('hex');
  const outboxShopper = { email: `e2e.cart+${run}@example.com`, phone: '+33612345678' };
  const pmShopper = { email: `e2e.cart.pm+${run}@example.com`, phone: '+33698765432' };
  const guarded = async (name, fn) => {
    let ok = true;
    await check(name, async () => {
      try {
        await fn();
      } catch (e) {
        ok = false;
        throw e;
      }
    });
    if (!ok) failedBefore = true;
  };
  try {
    await guarded('journeys: a worker with POSTMARK_BASE_URL at a local Postmark fake, two stores seeded', async () => {
      env = await startJourneyWorker({ tmp, fake });
    });
    if (!env) return;
    const { worker, admin } = env;

    await guarded('journeys: PATCH /api/flows/abandoned-cart enables the flow with waits of seconds; GET /api/flows lists them', async () => {
      await admin.patch(`/api/stores/${PM_STORE.id}/settings`, { postmarkServerToken: PM_TOKEN, fromEmail: 'shop@demo-pm.example' });
      for (const [storeId, settings] of [[DEMO.storeId, OUTBOX_SETTINGS], [PM_STORE.id, PM_SETTINGS]]) {
        const { flow } = await enableAbandonedCart(admin, storeId, settings);
        assertEqual(flow.enabled, true, `${storeId}: enabled`);
        const listed = (await admin.get(`/api/flows?store=${storeId}`)).flows.find((f) => f.id === 'abandoned-cart');
        const values = Object.fromEntries(listed.settings.map((s) => [s.key, s.value]));
        for (const [key, value] of Object.entries(settings)) assertEqual(values[key], value, `${storeId}: setting ${key}`);
      }
    });

    await guarded('journeys: signed plugin batches (identity with email + SMS consent, then a cart) are accepted', async () => {
      await postSigned(worker.url, DEMO.webhookSecret, cartBatch({ storeId: DEMO.storeId, visitorId: `v_e2e_cart_${run}`, ...outboxShopper }));
      await postSigned(worker.url, PM_STORE.webhookSecret, cartBatch({ storeId: PM_STORE.id, visitorId: `v_e2e_cartpm_${run}`, ...pmShopper }));
      outboxShopper.contact = await contactOf(admin, DEMO.storeId, outboxShopper.email);
      pmShopper.contact = await contactOf(admin, PM_STORE.id, pmShopper.email);
    });
    if (!pmShopper.contact || !outboxShopper.contact) return;

    // The Postmark store first: its order must arrive before the follow-up SMS would be due.
    let pmEmail;
    await guarded('journeys (Postmark): the reminder goes through the SEND queue to the fake, once, in a batch call', async () => {
      pmEmail = await eventually(async () => {
        const [email, ...rest] = await messagesOf(admin, PM_STORE.id, pmShopper.contact.id);
        assertEqual(rest.length, 0, 'one message');
        assertEqual([email?.channel, email?.stepId, email?.status], ['email', 'email_1', 'sent'], 'channel, step, status');
        return email;
      }, { timeoutMs: 30_000, intervalMs: 300 });
      const received = fake.sent.filter((m) => m.To === pmShopper.email);
      assertEqual(received.length, 1, 'messages the fake received for the shopper');
      assertEqual(pmEmail.providerMessageId, received[0].MessageID, 'provider message id recorded');
      assertEqual(received[0].Metadata?.send_id, pmEmail.id, 'Metadata carries our send id');
      assertEqual(received[0].MessageStream, 'broadcast', 'message stream');
      const headers = Object.fromEntries((received[0].Headers ?? []).map((h) => [h.Name, h.Value]));
      assert(headers['List-Unsubscribe']?.startsWith(`<${PUBLIC_BASE_URL}/u/`), `List-Unsubscribe: ${headers['List-Unsubscribe']}`);
      assertEqual(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click', 'List-Unsubscribe-Post');
      const batchCalls = fake.calls.filter((c) => c.label === PM_STORE.id);
      assert(batchCalls.length >= 1 && batchCalls.every((c) => c.path === '/email/batch'), `calls: ${JSON.stringify(batchCalls)}`);
    });

    await guarded('journeys (Postmark): a paid order ends the journey, and no SMS follows past its due time', async () => {
      assert(pmEmail, 'the first reminder was sent');
      const order = paidOrderDelivery({ secret: PM_STORE.webhookSecret, email: pmShopper.email, orderId: 700_000 + Math.floor(Math.random() * 99_999) });
      const res = await fetch(`${worker.url}/webhooks/woocommerce/${PM_STORE.id}`, { method: 'POST', headers: order.headers, body: order.body });
      assert(res.ok, `order delivery: HTTP ${res.status}`);
      await eventually(async () => {
        const { journeys } = await admin.get(`/api/contacts/${pmShopper.contact.id}?store=${PM_STORE.id}`);
        const cart = journeys.enrollments.find((e) => e.flowId === 'abandoned-cart');
        assertEqual(cart?.status, 'exited', 'cart enrollment status');
        assertEqual(journeys.running.length, 0, 'running enrollments');
        assertEqual(journeys.pendingTimers.length, 0, 'pending timers');
      }, { timeoutMs: 15_000 });
      const smsDue = pmEmail.createdAt + OPEN_WINDOW_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, smsDue + 3_000 - Date.now())));
      const messages = await messagesOf(admin, PM_STORE.id, pmShopper.contact.id);
      assertEqual(messages.map((m) => `${m.channel}:${m.stepId}`), ['email:email_1'], 'messages after the SMS was due');
      assertEqual(fake.sent.filter((m) => m.To === pmShopper.email).length, 1, 'emails the fake received');
    });

    let outboxEmail;
    await guarded('journeys (outbox): the cart reminder email is in the outbox, no earlier than the 5 s idle delay', async () => {
      outboxEmail = await eventually(async () => {
        const email = byStep(await messagesOf(admin, DEMO.storeId, outboxShopper.contact.id), 'email_1')[0];
        assertEqual([email?.channel, email?.status, email?.to], ['email', 'outbox', outboxShopper.email], 'channel, status, recipient');
        return email;
      }, { timeoutMs: 30_000, intervalMs: 300 });
      assert(outboxEmail.subject && outboxEmail.html && outboxEmail.text, 'rendered subject, HTML and text are stored');
      const { journeys } = await admin.get(`/api/contacts/${outboxShopper.contact.id}?store=${DEMO.storeId}`);
      const enrollment = journeys.enrollments.find((e) => e.flowId === 'abandoned-cart');
      const waited = outboxEmail.createdAt - enrollment.enteredAt;
      assert(waited >= 5_000, `email ${waited} ms after the cart; the idle delay is 5 s`);
    });

    await guarded('journeys (outbox): not opened within 5 s → the SMS follow-up is in the outbox', async () => {
      const sms = await eventually(async () => {
        const found = byStep(await messagesOf(admin, DEMO.storeId, outboxShopper.contact.id), 'sms')[0];
        assertEqual([found?.channel, found?.status, found?.to], ['sms', 'outbox', outboxShopper.phone], 'channel, status, recipient');
        return found;
      }, { timeoutMs: 30_000, intervalMs: 300 });
      assert(sms.createdAt - outboxEmail.createdAt >= 5_000, `SMS ${sms.createdAt - outboxEmail.createdAt} ms after the email`);
      assert(sms.text.length > 0, 'SMS text stored');
    });

    await guarded('journeys (outbox): 15 s after the cart the contact is in the retargeting audience (hashed CSV)', async () => {
      const hash = sha256Hex(outboxShopper.email.toLowerCase());
      await eventually(async () => {
        const csv = await admin.get(`/api/audiences/abandoned-cart/export.csv?store=${DEMO.storeId}`);
        assert(csv.includes(hash), 'the email hash is in the export');
        assert(csv.includes(sha256Hex(outboxShopper.phone)), 'the phone hash is in the export');
      }, { timeoutMs: 30_000, intervalMs: 500 });
    });

    await guarded('journeys (outbox): the paid order afterwards is credited and sends nothing more', async () => {
      const before = await messagesOf(admin, DEMO.storeId, outboxShopper.contact.id);
      assertEqual(before.map((m) => `${m.channel}:${m.stepId}`).sort(), ['email:email_1', 'sms:sms'], 'messages of the cascade');
      const order = paidOrderDelivery({ secret: DEMO.webhookSecret, email: outboxShopper.email, orderId: 800_000 + Math.floor(Math.random() * 99_999) });
      const res = await fetch(`${worker.url}/webhooks/woocommerce/${DEMO.storeId}`, { method: 'POST', headers: order.headers, body: order.body });
      assert(res.ok, `order delivery: HTTP ${res.status}`);
      await eventually(async () => {
        const { journeys } = await admin.get(`/api/contacts/${outboxShopper.contact.id}?store=${DEMO.storeId}`);
        const cart = journeys.enrollments.find((e) => e.flowId === 'abandoned-cart');
        assertEqual([cart?.status, cart?.converted], ['completed', true], 'cart enrollment status and conversion');
        assertEqual(journeys.pendingTimers.length, 0, 'pending timers');
      }, { timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 3_000));
      assertEqual((await messagesOf(admin, DEMO.storeId, outboxShopper.contact.id)).length, 2, 'messages after the order');
    });
  } finally {
    await env?.cleanup(failedBefore);
    await fake.close();
  }
}
