import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../app';
import { db } from '../../db/client';
import { findDelivery } from '../../db/queries/deliveries';
import { findOrder } from '../../db/queries/orders';
import type { WebhookHealth } from '../../db/queries/admin-views';
import {
  agentEvents,
  contactIdByEmail,
  deliveries,
  fixture,
  fixtureBytes,
  fixtureHeaders,
  runQueue,
  seedStore,
  signedHeaders,
  wireText,
  wooMessage,
} from '../../test/woo-fixtures';
import { INGEST_QUEUE } from '../consumer';
import { MAX_INLINE_BODY_BYTES, type WooDeliveryMessage } from '../messages';

/** The real app and bindings, except the queue producer, which records what the route enqueues. */
async function accept(storeId: string, body: Uint8Array, headers: Headers): Promise<WooDeliveryMessage> {
  const sent: WooDeliveryMessage[] = [];
  const ingest = { send: async (m: WooDeliveryMessage) => void sent.push(m) } as unknown as Queue;
  const ctx = createExecutionContext();
  const request = new Request(`https://ns.test/webhooks/woocommerce/${storeId}`, { method: 'POST', body, headers });
  const res = await app.fetch(request, { ...env, INGEST: ingest }, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  const [message] = sent;
  if (!message || sent.length !== 1) throw new Error(`expected one queued message, got ${sent.length}`);
  expect(await res.json()).toEqual({ ok: true, delivery: message.deliveryId });
  return message;
}

function acceptFixture(storeId: string, name: string): Promise<WooDeliveryMessage> {
  const f = fixture(name);
  return accept(storeId, fixtureBytes(f), fixtureHeaders(f));
}

async function consume(...messages: WooDeliveryMessage[]) {
  const result = await runQueue(INGEST_QUEUE, messages);
  expect(result.retryMessages).toEqual([]);
  expect(result.explicitAcks).toHaveLength(messages.length);
}

async function health(storeId: string): Promise<WebhookHealth> {
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}`, {
    headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return (await res.json<{ webhooks: WebhookHealth }>()).webhooks;
}

async function payloadCount(storeId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM ingest_payloads WHERE store_id = ?').bind(storeId).first<{ n: number }>();
  return row?.n ?? -1;
}

describe('the WooCommerce delivery log, written by the consumer', { timeout: 30_000 }, () => {
  it('is not written on the request path; the consumer logs the delivery with its arrival time, and health shows it', async () => {
    const store = 'log-inline';
    await seedStore(store);
    const f = fixture('order.created');
    const message = await acceptFixture(store, 'order.created');
    expect(message).toMatchObject({
      kind: 'woo',
      topic: 'order.created',
      webhookId: fixtureHeaders(f).get('X-WC-Webhook-ID'),
      body: { inline: wireText(f.raw_body) },
    });
    expect(await deliveries(store)).toEqual([]);

    await consume(message);
    expect(await findDelivery(db(env.DB), store, message.deliveryId)).toMatchObject({
      status: 'processed',
      topic: 'order.created',
      webhookId: message.webhookId,
      resourceId: '17',
      receivedAt: message.receivedAt,
      error: null,
    });
    const webhooks = await health(store);
    expect(webhooks.lastDelivery).toMatchObject({ deliveryId: message.deliveryId, status: 'processed' });
    expect(webhooks.byStatus).toEqual({ processed: 1 });
    expect(webhooks.byTopic).toEqual({ 'order.created': 1 });
    expect(webhooks.failures.total).toBe(0);
  });

  it('processes a delivery sent twice once, keeping its first arrival time', async () => {
    const store = 'log-twice';
    await seedStore(store);
    const first = await acceptFixture(store, 'order.created');
    const again = { ...(await acceptFixture(store, 'order.created')), receivedAt: first.receivedAt + 60_000 };
    expect(again.deliveryId).toBe(first.deliveryId);

    await consume(first);
    const row = await findDelivery(db(env.DB), store, first.deliveryId);
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    const events = await agentEvents(store, jane);
    const order = await findOrder(db(env.DB), store, 17);
    expect(events.map((e) => e.type)).toEqual(['order.placed']);

    await consume(again);
    expect(await findDelivery(db(env.DB), store, first.deliveryId)).toEqual(row);
    expect(await agentEvents(store, jane)).toEqual(events);
    expect(await findOrder(db(env.DB), store, 17)).toEqual(order);
    expect((await health(store)).byStatus).toEqual({ processed: 1 });
  });

  it('logs a delivery that two messages carry in one batch once, and emits its events once', async () => {
    const store = 'log-batch';
    await seedStore(store);
    const first = await acceptFixture(store, 'order.created');
    const again = await acceptFixture(store, 'order.created');
    await consume(first, again);
    expect(await deliveries(store)).toMatchObject([{ delivery_id: first.deliveryId, status: 'processed' }]);
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    expect((await agentEvents(store, jane)).map((e) => e.id)).toEqual(['woo:order:17:placed']);
  });

  it('shows a delivery parked before the consumer could log it as failed in health', async () => {
    const store = 'log-parked';
    await seedStore(store);
    const message = { ...wooMessage(store, 'never-logged', 'order.created', { inline: '{"id":17}' }), webhookId: '7' };
    await consume(message);
    expect(await findDelivery(db(env.DB), store, 'never-logged')).toMatchObject({
      status: 'failed',
      webhookId: '7',
      topic: 'order.created',
      receivedAt: message.receivedAt,
      error: expect.stringContaining('status'),
    });
    const webhooks = await health(store);
    expect(webhooks.byStatus).toEqual({ failed: 1 });
    expect(webhooks.failures.total).toBe(1);
    expect(webhooks.failedDeliveries.map((d) => d.deliveryId)).toEqual(['never-logged']);
  });

  it('stores a large body in D1 before queueing its id, and releases it once processed, even for a repeat', async () => {
    const store = 'log-large';
    await seedStore(store);
    const order = JSON.parse(wireText(fixture('order.created').raw_body)) as Record<string, unknown>;
    const body = new TextEncoder().encode(JSON.stringify({ ...order, padding: 'x'.repeat(MAX_INLINE_BODY_BYTES) }));
    const headers = await signedHeaders(body);
    const message = await accept(store, body, headers);
    expect(message.body).toEqual({ payloadId: `${store}:${message.deliveryId}` });
    expect(await payloadCount(store)).toBe(1);
    expect(await deliveries(store)).toEqual([]);

    await consume(message);
    expect(await findDelivery(db(env.DB), store, message.deliveryId)).toMatchObject({ status: 'processed' });
    expect(await findOrder(db(env.DB), store, 17)).toMatchObject({ total: 86 });
    expect(await payloadCount(store)).toBe(0);

    await consume(await accept(store, body, headers));
    expect(await payloadCount(store)).toBe(0);
    expect(await deliveries(store)).toHaveLength(1);
  });
});
