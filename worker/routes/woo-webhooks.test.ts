import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db/client';
import { findOrder, listOrderItems } from '../db/queries/orders';
import { findProduct } from '../db/queries/products';
import { findCouponByCode } from '../db/queries/coupons';
import { recordDelivery } from '../db/queries/deliveries';
import { INGEST_DEAD_LETTER_QUEUE } from '../ingest/consumer';
import { wooDeliveryKey } from '../ingest/woo/woo-intake';
import { hmacSha256, toBase64 } from '../lib/hmac';
import {
  agentEvents,
  contactIdByEmail,
  deliver,
  deliveries,
  fixture,
  fixtureBytes,
  fixtureHeaders,
  fixtures,
  post,
  runQueue,
  SECRET,
  seedStore,
  send,
  settled,
  signedHeaders,
  wireText,
  wooMessage,
} from '../test/woo-fixtures';

const gmt = (s: string) => Date.parse(`${s}Z`);
const ids = (events: { id: string }[]) => events.map((e) => e.id).sort();

async function expectOrders(store: string, jane: string, liam: string) {
  const d = db(env.DB);
  expect(await findOrder(d, store, 17)).toMatchObject({
    contactId: jane,
    wooCustomerId: 2,
    status: 'refunded',
    currency: 'USD',
    total: 86,
    discountTotal: 9,
    refundedTotal: 86,
    couponCodes: ['summer10'],
    createdAt: gmt('2026-11-23T05:52:21'),
    paidAt: gmt('2026-11-23T05:52:22'),
    completedAt: gmt('2026-11-23T05:52:24'),
    refundedAt: gmt('2026-11-23T05:52:26'),
    cancelledAt: null,
    deletedAt: null,
    sourceModifiedAt: gmt('2026-11-23T05:52:26'),
  });
  expect((await findOrder(d, store, 17))?.attribution).toMatchObject({
    utm_source: 'newsletter',
    utm_medium: 'email',
    utm_campaign: 'summer_sale_2025',
    device_type: 'Desktop',
    session_entry: expect.stringContaining('/product/pullover-hoodie/'),
  });
  expect(await listOrderItems(d, store, 17)).toMatchObject([
    { lineId: 1, productId: 10, variationId: null, quantity: 2, price: 16.2, total: 32.4, sku: 'NW-TEE-001' },
    { lineId: 2, productId: 13, variationId: 14, quantity: 1, price: 40.5, total: 40.5 },
    { lineId: 3, productId: 12, variationId: null, quantity: 1, price: 8.1, total: 8.1 },
  ]);
  const guestOrder = await findOrder(d, store, 19);
  expect(guestOrder).toMatchObject({ contactId: liam, status: 'cancelled', cancelledAt: gmt('2026-11-23T05:52:28') });
  expect(guestOrder?.deletedAt).toEqual(expect.any(Number));
  const janeRow = await env.DB.prepare('SELECT * FROM contacts WHERE id = ?').bind(jane).first();
  expect(janeRow).toMatchObject({ first_name: 'Jane', last_name: 'Doe', woo_customer_id: 2, phone: '+12125550199' });
  expect(janeRow?.source_modified_at).toBe(gmt('2026-11-23T05:52:30'));
}

async function expectCatalog(store: string) {
  const d = db(env.DB);
  expect(await findProduct(d, store, 10)).toMatchObject({
    type: 'simple',
    price: 14,
    sku: 'NW-TEE-001',
    stockStatus: 'instock',
    categories: [
      { id: 16, name: 'Clothing', slug: 'clothing' },
      { id: 17, name: 'T-shirts', slug: 't-shirts' },
    ],
    imageUrl: 'https://shop.example.com/wp-content/uploads/2025/06/classic-logo-tee-front.jpg',
    permalink: 'https://shop.example.com/product/classic-logo-t-shirt/',
    lifespanDays: null,
    sourceModifiedAt: gmt('2026-11-23T05:52:29'),
  });
  expect(await findProduct(d, store, 13)).toMatchObject({ type: 'variable', parentId: null, price: 45 });
  expect(await findProduct(d, store, 14)).toMatchObject({
    type: 'variation',
    parentId: 13,
    categories: [],
    sourceModifiedAt: gmt('2026-11-23T05:52:23'),
  });
  expect(await findCouponByCode(d, store, 'SUMMER10')).toMatchObject({ id: 16, discountType: 'percent', amount: 10 });
}

async function expectEvents(store: string, jane: string, liam: string) {
  const janeEvents = ids(await agentEvents(store, jane));
  expect(janeEvents).toEqual([
    'woo:customer:2:created',
    'woo:order:17:completed',
    'woo:order:17:paid',
    'woo:order:17:placed',
    'woo:order:17:refund:18',
  ]);
  expect(ids(await agentEvents(store, liam))).toEqual(['woo:order:19:cancelled', 'woo:order:19:placed']);
  const { results: events } = await env.DB.prepare(
    'SELECT event_key, type, contact_id, source FROM events WHERE store_id = ? ORDER BY event_key',
  )
    .bind(store)
    .all<{ event_key: string; type: string; contact_id: string | null; source: string }>();
  for (const e of events) expect(e.source).toBe('woocommerce');
  expect(events.filter((e) => e.contact_id === jane).map((e) => e.event_key)).toEqual(expect.arrayContaining(janeEvents));
  expect(events.map((e) => e.event_key)).toEqual(
    expect.arrayContaining([
      `woo:product:10:${gmt('2026-11-23T05:52:29')}`,
      `woo:product:13:${gmt('2026-11-23T05:52:19')}`,
      `woo:product:14:${gmt('2026-11-23T05:52:23')}`,
    ]),
  );
  expect(events.filter((e) => e.type === 'woo.action')).toHaveLength(1);
}

describe('WooCommerce fixtures', () => {
  it('are the exact bytes their captured signatures cover', async () => {
    expect(SECRET).toHaveLength(50);
    for (const f of fixtures) {
      const bytes = fixtureBytes(f);
      expect(bytes.byteLength, f.name).toBe(f.body_bytes);
      expect(toBase64(await hmacSha256(SECRET, bytes)), f.name).toBe(f.signature);
      expect(fixtureHeaders(f).get('X-WC-Webhook-Signature'), f.name).toBe(f.signature);
    }
  });
});

describe('POST /webhooks/woocommerce/:store', { timeout: 30_000 }, () => {
  it('accepts every fixture and, in whatever order the queue runs them, ends at the newest state', async () => {
    const store = 'wh-all';
    await seedStore(store);
    for (const f of fixtures) {
      const res = await send(store, f.name);
      expect(res.status, f.name).toBe(200);
      expect(await res.json(), f.name).toEqual({ ok: true, delivery: expect.any(String) });
    }
    // Three product.created deliveries share one X-WC-Webhook-Delivery-ID; each is still its own delivery.
    const rows = await settled(store, fixtures.length);
    for (const row of rows) expect(['processed', 'stale']).toContain(row.status);
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    const liam = await contactIdByEmail(store, 'liam.chen@example.net');
    await expectOrders(store, jane, liam);
    await expectCatalog(store);
    await expectEvents(store, jane, liam);
  });

  // The route no longer reads the delivery log, so it cannot say `duplicate`; the consumer skips the repeat
  // (worker/ingest/woo/woo-delivery-log.test.ts shows it processed once).
  it('answers a resent delivery with the same delivery key and logs it once', async () => {
    const store = 'wh-resend';
    await seedStore(store);
    expect(await deliver(store, 'order.created')).toBe('processed');
    const [first] = await deliveries(store);
    const res = await send(store, 'order.created');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, delivery: first?.delivery_id });
    expect(await deliveries(store)).toEqual([first]);
  });

  it('queues a parked delivery again when the store sends it again', async () => {
    const store = 'wh-unpark';
    await seedStore(store);
    const f = fixture('order.created.guest');
    const key = await wooDeliveryKey(f.delivery_id, fixtureBytes(f));
    await recordDelivery(db(env.DB), { storeId: store, deliveryId: key, topic: f.topic, status: 'queued', receivedAt: 1 });
    const message = wooMessage(store, key, f.topic, { inline: wireText(f.raw_body) }, 1);
    expect((await runQueue(INGEST_DEAD_LETTER_QUEUE, [message])).explicitAcks).toEqual(['m0']);
    expect(await deliveries(store)).toMatchObject([{ status: 'failed' }]);

    const res = await send(store, f.name);
    expect(await res.json()).toEqual({ ok: true, delivery: key });
    // The parked row stays as it is until the consumer takes the new message, so wait for its outcome.
    await vi.waitFor(async () => expect(await deliveries(store)).toMatchObject([{ delivery_id: key, status: 'processed', error: null }]), {
      timeout: 20_000,
      interval: 50,
    });
    expect(await findOrder(db(env.DB), store, 19)).toMatchObject({ status: 'on-hold' });
  });

  it('never lets an older version overwrite a newer one, and emits each transition once', async () => {
    const store = 'wh-stale';
    await seedStore(store);
    const d = db(env.DB);
    expect(await deliver(store, 'order.created')).toBe('processed');
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    expect(ids(await agentEvents(store, jane))).toEqual(['woo:order:17:placed']);

    expect(await deliver(store, 'order.updated.completed')).toBe('processed');
    expect(await deliver(store, 'order.updated.processing')).toBe('stale');
    expect(await findOrder(d, store, 17)).toMatchObject({
      status: 'completed',
      completedAt: gmt('2026-11-23T05:52:24'),
      sourceModifiedAt: gmt('2026-11-23T05:52:24'),
    });
    const events = await agentEvents(store, jane);
    expect(events.map((e) => e.type)).toEqual(['order.placed', 'order.paid', 'order.completed']);
    expect(events[1]).toMatchObject({ orderId: 17, total: 86, occurredAt: gmt('2026-11-23T05:52:22') });

    expect(await deliver(store, 'product.updated')).toBe('processed');
    expect(await deliver(store, 'product.created')).toBe('stale');
    expect(await findProduct(d, store, 10)).toMatchObject({ price: 14 });

    expect(await deliver(store, 'customer.updated')).toBe('processed');
    expect(await deliver(store, 'customer.created')).toBe('stale');
    const contact = await env.DB.prepare('SELECT phone FROM contacts WHERE id = ?').bind(jane).first();
    expect(contact).toEqual({ phone: '+12125550199' });
    expect(ids(await agentEvents(store, jane))).toContain('woo:customer:2:created');
  });

  it('creates the contact of a guest order from its billing email', async () => {
    const store = 'wh-guest';
    await seedStore(store);
    expect(await deliver(store, 'order.created.guest')).toBe('processed');
    const row = await env.DB.prepare('SELECT * FROM contacts WHERE store_id = ?').bind(store).all();
    expect(row.results).toHaveLength(1);
    expect(row.results[0]).toMatchObject({
      email: 'liam.chen@example.net',
      first_name: 'Liam',
      last_name: 'Chen',
      phone: null,
      woo_customer_id: null,
    });
    const liam = String(row.results[0]?.id);
    expect(await findOrder(db(env.DB), store, 19)).toMatchObject({ contactId: liam, status: 'on-hold', paidAt: null });
    expect((await agentEvents(store, liam)).map((e) => e.type)).toEqual(['order.placed']);
  });

  it('records action topics against the contact of the order they name', async () => {
    const store = 'wh-action';
    await seedStore(store);
    await deliver(store, 'order.created');
    expect(await deliver(store, 'action.woocommerce_order_status_completed')).toBe('processed');
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    const event = await env.DB.prepare(`SELECT contact_id, properties FROM events WHERE store_id = ? AND type = 'woo.action'`)
      .bind(store)
      .first<{ contact_id: string; properties: string }>();
    expect(event?.contact_id).toBe(jane);
    expect(JSON.parse(event?.properties ?? '{}')).toEqual({
      action: 'woocommerce_order_status_completed',
      arg: 17,
      orderId: 17,
    });
  });

  it('carries a body too large for a queue message through D1', async () => {
    const store = 'wh-large';
    await seedStore(store);
    const order = JSON.parse(wireText('wire/order.created.body')) as { meta_data: unknown[] };
    order.meta_data.push({ id: 99, key: 'gift_message', value: 'x'.repeat(300_000) });
    const body = new TextEncoder().encode(JSON.stringify(order));
    expect(body.byteLength).toBeGreaterThan(128 * 1024);
    const res = await post(store, body, await signedHeaders(body));
    expect(res.status).toBe(200);
    const [row] = await settled(store, 1);
    expect(row?.status).toBe('processed');
    expect(await listOrderItems(db(env.DB), store, 17)).toHaveLength(3);
    const left = await env.DB.prepare('SELECT count(*) AS n FROM ingest_payloads WHERE store_id = ?').bind(store).first();
    expect(left).toEqual({ n: 0 });
  });
});
