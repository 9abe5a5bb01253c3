// WooCommerce deliveries over real HTTP to `wrangler dev`, checked through the admin API.
import { randomBytes } from 'node:crypto';
import { DEMO } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { deliver, deliveryHeaders, loadPing, loadWooFixtures } from './lib/woo-fixtures.mjs';

export async function webhookChecks({ check, worker, admin }) {
  const fixtures = loadWooFixtures();
  const url = `${worker.url}/webhooks/woocommerce/${DEMO.storeId}`;

  await check('webhook ping (form-encoded, unsigned) answers 200', async () => {
    const ping = loadPing();
    const headers = deliveryHeaders({ headers: ping.headers, body: ping.body }, DEMO.webhookSecret);
    const res = await fetch(url, { method: 'POST', headers, body: ping.body });
    assertEqual(res.status, 200, 'ping status');
  });

  await check('a delivery with a wrong signature is refused with 401 and not stored', async () => {
    const f = fixtures[0];
    const headers = { ...deliveryHeaders(f, DEMO.webhookSecret), 'X-WC-Webhook-Signature': 'AAAA' };
    const res = await fetch(url, { method: 'POST', headers, body: f.body });
    assertEqual(res.status, 401, 'status');
  });

  await check('a delivery for an unknown store answers like a bad signature (401, same body)', async () => {
    const res = await deliver(`${worker.url}/webhooks/woocommerce/no-such-store`, fixtures[0], DEMO.webhookSecret);
    const bad = await fetch(url, { method: 'POST', headers: { ...deliveryHeaders(fixtures[0], DEMO.webhookSecret), 'X-WC-Webhook-Signature': 'AAAA' }, body: fixtures[0].body });
    assertEqual([res.status, await res.text()], [bad.status, await bad.text()], 'answer');
    assertEqual(res.status, 401, 'status');
  });

  await check(`all ${fixtures.length} fixture deliveries (exact wire bytes) are accepted`, async () => {
    for (const f of fixtures) {
      const res = await deliver(url, f, DEMO.webhookSecret);
      assert(res.status >= 200 && res.status < 300, `${f.name}: HTTP ${res.status} ${await res.text()}`);
    }
  });

  const jane = fixtures.find((f) => f.name === 'customer.created').json.email;
  const guest = fixtures.find((f) => f.name === 'order.created.guest').json.billing.email;

  await check('orders and contacts arrive: registered customer, guest from billing email', async () => {
    await eventually(async () => {
      const health = await admin(`/api/stores/${DEMO.storeId}`);
      const queued = health.webhooks.byStatus.queued ?? 0;
      assertEqual(queued, 0, 'deliveries still queued');
      assertEqual(health.webhooks.failures.total, 0, 'ingest failures');
      const contact = await contactByEmail(admin, jane);
      const orders = await admin(`/api/orders?store=${DEMO.storeId}&contact=${contact.id}`);
      assertEqual(orders.orders.map((o) => o.id), [17], `orders of ${jane}`);
      assertEqual(orders.orders[0].status, 'refunded', 'order 17 status (newest date_modified_gmt wins)');
      assertEqual(orders.orders[0].items.length > 0, true, 'order 17 has line items');
      await contactByEmail(admin, guest);
    });
  });

  // The consumer writes the delivery log, so deliveries the checks above did not wait for may still be in the queue.
  await check('webhook health shows the deliveries by topic with no failures', async () => {
    await settled(admin, fixtures.length);
    const health = await admin(`/api/stores/${DEMO.storeId}`);
    assert(health.webhooks.lastDelivery, 'last delivery is reported');
    assertEqual(health.webhooks.byStatus.failed ?? 0, 0, 'failed deliveries');
  });

  await check('the same deliveries again, newest first, are acknowledged and change nothing', async () => {
    const before = await snapshot(admin, jane);
    for (const f of [...fixtures].reverse()) {
      const res = await deliver(url, f, DEMO.webhookSecret);
      assert(res.status >= 200 && res.status < 300, `${f.name}: HTTP ${res.status}`);
    }
    await settled(admin, fixtures.length);
    assertEqual(await snapshot(admin, jane), before, 'state after replay');
  });

  // A resource delivered again under a new delivery id (a re-save, a manual redelivery) must change nothing.
  // `action.*` deliveries are left out: they carry no modification time, so a new id is a new firing of the hook.
  const resources = fixtures.filter((f) => !f.topic.startsWith('action.'));
  await check('the same resources under new delivery ids, newest first, are processed and change nothing', async () => {
    const before = await snapshot(admin, jane);
    for (const f of [...resources].reverse()) {
      const res = await deliver(url, f, DEMO.webhookSecret, randomBytes(16).toString('hex'));
      assert(res.status >= 200 && res.status < 300, `${f.name}: HTTP ${res.status}`);
    }
    await settled(admin, fixtures.length + resources.length);
    assertEqual(await snapshot(admin, jane), before, 'state after retries');
  });
}

/** Waits until `total` deliveries are recorded and none is still queued. */
async function settled(admin, total) {
  await eventually(async () => {
    const health = await admin(`/api/stores/${DEMO.storeId}`);
    assertEqual(health.webhooks.byStatus.queued ?? 0, 0, 'deliveries still queued');
    assertEqual(Object.values(health.webhooks.byTopic).reduce((a, b) => a + b, 0), total, 'deliveries recorded');
  });
}

export async function contactByEmail(admin, email) {
  const res = await admin(`/api/contacts?store=${DEMO.storeId}&email=${encodeURIComponent(email)}`);
  assertEqual(res.contacts.length, 1, `contacts with email ${email}`);
  return res.contacts[0];
}

async function snapshot(admin, email) {
  const health = await admin(`/api/stores/${DEMO.storeId}`);
  const contact = await contactByEmail(admin, email);
  const orders = await admin(`/api/orders?store=${DEMO.storeId}`);
  return {
    counts: health.counts,
    contact: { ...contact, updatedAt: undefined },
    orders: orders.orders.map((o) => ({ id: o.id, status: o.status, total: o.total, refundedTotal: o.refundedTotal, items: o.items.length })),
  };
}
