import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findDelivery, recordDelivery, storePayload } from '../db/queries/deliveries';
import { findOrder } from '../db/queries/orders';
import {
  agentEvents,
  deliveries,
  fixture,
  fixtureBytes,
  fixtures,
  runQueue,
  seedStore,
  send,
  settled,
  wireText,
  wooMessage,
} from '../test/woo-fixtures';
import type { CollectMessage } from './messages';
import { retryDelaySeconds } from './consume-one';
import { INGEST_DEAD_LETTER_QUEUE, INGEST_QUEUE } from './consumer';
import { wooDeliveryKey } from './woo/woo-intake';

const TABLES = ['orders', 'order_items', 'products', 'coupons', 'contacts', 'events', 'webhook_deliveries', 'ingest_failures'];

/** Everything the store's deliveries wrote: every row of every table, and every contact's agent history. */
async function snapshot(storeId: string) {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE store_id = ? ORDER BY 1, 2, 3`)
      .bind(storeId)
      .all();
    tables[table] = results;
  }
  const agents: Record<string, unknown[]> = {};
  for (const row of tables.contacts as { id: string }[]) agents[row.id] = await agentEvents(storeId, row.id);
  return { tables, agents };
}

async function recordQueued(storeId: string, deliveryId: string, topic: string) {
  await recordDelivery(db(env.DB), { storeId, deliveryId, topic, status: 'queued', receivedAt: 1_800_000_000_000 });
}

describe('the INGEST queue consumer', { timeout: 30_000 }, () => {
  it('replays every delivery, any number of times and in any order, without changing anything', async () => {
    const store = 'c-replay';
    await seedStore(store);
    for (const f of fixtures) expect((await send(store, f.name)).status).toBe(200);
    const logged = await settled(store, fixtures.length);
    const before = await snapshot(store);
    expect(Object.keys(before.agents)).toHaveLength(2);
    expect(before.tables.order_items).toHaveLength(4);

    for (const f of fixtures) {
      const res = await send(store, f.name);
      expect(await res.json(), f.name).toEqual({ ok: true, delivery: expect.any(String) });
    }
    const messages = await Promise.all(
      fixtures.map(async (f) => {
        const key = await wooDeliveryKey(f.delivery_id, fixtureBytes(f));
        const row = logged.find((r) => r.delivery_id === key);
        if (!row) throw new Error(`delivery of ${f.name} not logged`);
        return wooMessage(store, key, f.topic, { inline: wireText(f.raw_body) }, row.received_at);
      }),
    );
    for (const batch of [messages, [...messages].reverse(), messages]) {
      const result = await runQueue(INGEST_QUEUE, batch);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(messages.length);
    }
    expect(await snapshot(store)).toEqual(before);
  });

  it('takes a large body from D1, releases it, and treats a late copy of the message as done', async () => {
    const store = 'c-payload';
    await seedStore(store);
    const d = db(env.DB);
    await recordQueued(store, 'big-1', 'order.created');
    await storePayload(d, 'p-big-1', store, wireText('wire/order.created.body'), 1);
    const message = wooMessage(store, 'big-1', 'order.created', { payloadId: 'p-big-1' });

    const first = await runQueue(INGEST_QUEUE, [message]);
    expect(first.explicitAcks).toEqual(['m0']);
    expect(await findOrder(d, store, 17)).toMatchObject({ status: 'pending', total: 86 });
    expect(await findDelivery(d, store, 'big-1')).toMatchObject({ status: 'processed' });
    const left = await env.DB.prepare('SELECT count(*) AS n FROM ingest_payloads WHERE store_id = ?').bind(store).first();
    expect(left).toEqual({ n: 0 });

    const copy = await runQueue(INGEST_QUEUE, [message]);
    expect(copy.explicitAcks).toEqual(['m0']);
    expect(copy.retryMessages).toEqual([]);
  });

  it('backs off longer with every attempt, up to ten minutes', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelaySeconds)).toEqual([20, 40, 80, 160, 320, 600]);
  });

  it('retries a message whose work cannot be done yet, and notes why', async () => {
    const store = 'c-retry';
    await seedStore(store);
    await recordQueued(store, 'lost-1', 'order.created');
    const result = await runQueue(INGEST_QUEUE, [wooMessage(store, 'lost-1', 'order.created', { payloadId: 'nowhere' })], 2);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m0']);
    expect(await findDelivery(db(env.DB), store, 'lost-1')).toMatchObject({
      status: 'queued',
      error: 'payload of delivery lost-1 is missing',
    });
  });

  it('parks at once a message that can never succeed, and acknowledges it', async () => {
    const store = 'c-permanent';
    await seedStore(store);
    await recordQueued(store, 'bad-1', 'order.created');
    const message = wooMessage(store, 'bad-1', 'order.created', { inline: '{"id":17}' });
    const result = await runQueue(INGEST_QUEUE, [message, { something: 'else' }]);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    const delivery = await findDelivery(db(env.DB), store, 'bad-1');
    expect(delivery?.status).toBe('failed');
    expect(delivery?.error).toContain('status');
    const parked = await env.DB.prepare('SELECT kind, message FROM ingest_failures WHERE store_id = ?').bind(store).all();
    expect(parked.results).toEqual([{ kind: 'woo', message: JSON.stringify(message) }]);
    const unknown = await env.DB.prepare(`SELECT message FROM ingest_failures WHERE store_id = 'unknown'`).all();
    expect(unknown.results).toEqual([{ message: JSON.stringify({ something: 'else' }) }]);
  });

  it('hands collect messages to the collect processor', async () => {
    const store = 'c-collect';
    await seedStore(store);
    const message: CollectMessage = {
      kind: 'collect',
      storeId: store,
      trusted: false,
      visitorId: 'v_consumer_01',
      receivedAt: 1_800_000_000_000,
      ipHash: null,
      userAgent: null,
      events: [{ id: 'pv_consumer_01', type: 'page_view', ts: 1_800_000_000_000, url: 'https://shop.example.com/' }],
    };
    expect((await runQueue(INGEST_QUEUE, [message])).explicitAcks).toEqual(['m0']);
    const row = await env.DB.prepare('SELECT type, visitor_id FROM events WHERE store_id = ?').bind(store).first();
    expect(row).toEqual({ type: 'page_view', visitor_id: 'v_consumer_01' });
  });
});

describe('the dead-letter queue consumer', () => {
  it('parks every message in ingest_failures, marks its delivery failed, and parks a copy only once', async () => {
    const store = 'c-dlq';
    await seedStore(store);
    await recordQueued(store, 'dead-1', 'order.updated');
    const message = wooMessage(store, 'dead-1', 'order.updated', {
      inline: wireText(fixture('order.updated.processing').raw_body),
    });
    for (let i = 0; i < 2; i++) {
      const result = await runQueue(INGEST_DEAD_LETTER_QUEUE, [message], 1);
      expect(result.explicitAcks).toEqual(['m0']);
    }
    const parked = await env.DB.prepare('SELECT kind, message FROM ingest_failures WHERE store_id = ?').bind(store).all();
    expect(parked.results).toEqual([{ kind: 'woo', message: JSON.stringify(message) }]);
    expect(await deliveries(store)).toMatchObject([{ delivery_id: 'dead-1', status: 'failed', error: 'retries exhausted' }]);
  });

  it('refuses a queue it does not know', async () => {
    await expect(runQueue('some-other-queue', [{}])).rejects.toThrow('no consumer for queue some-other-queue');
  });
});
