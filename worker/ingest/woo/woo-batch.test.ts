import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findDelivery, recordDelivery, storePayload } from '../../db/queries/deliveries';
import { findOrder } from '../../db/queries/orders';
import { agentEvents, fixtureBytes, fixtures, runQueue, seedStore, wireText, wooMessage } from '../../test/woo-fixtures';
import { retryDelaySeconds } from '../consume-one';
import { INGEST_QUEUE } from '../consumer';
import type { WooDeliveryMessage } from '../messages';
import { consumeWooBatch } from './woo-batch';
import { wooDeliveryKey } from './woo-intake';
import { processWooMessage } from './woo-processor';

const TABLES = ['orders', 'order_items', 'products', 'coupons', 'contacts', 'events', 'webhook_deliveries', 'ingest_payloads'];
const BASE_TIME = 1_800_000_000_000;
/** Large enough that the log's statements must be split under D1's 100 bound parameters. */
const ROUNDS = 3;

/**
 * Every fixture delivery as the route queues it, in arrival order; `round` gives each a distinct delivery id.
 * Order deliveries travel as pointers to `ingest_payloads`, as a body too large for the queue would.
 */
async function fixtureMessages(storeId: string, round = 0): Promise<WooDeliveryMessage[]> {
  const d = db(env.DB);
  return Promise.all(
    fixtures.map(async (f, i) => {
      const key = `${await wooDeliveryKey(f.delivery_id, fixtureBytes(f))}-${round}`;
      const receivedAt = BASE_TIME + (round * fixtures.length + i) * 1000;
      if (!f.topic.startsWith('order.')) return wooMessage(storeId, key, f.topic, { inline: wireText(f.raw_body) }, receivedAt);
      const payloadId = `${storeId}:${key}`;
      await storePayload(d, payloadId, storeId, wireText(f.raw_body), receivedAt);
      return wooMessage(storeId, key, f.topic, { payloadId }, receivedAt);
    }),
  );
}

/** Every row the deliveries wrote, and every contact's agent history, with the store's own ids made neutral. */
async function snapshot(storeId: string) {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE store_id = ?`).bind(storeId).all();
    tables[table] = results.map(({ id, ...row }) => (table === 'events' ? row : { id, ...row }));
  }
  const contacts = (tables.contacts as { id: string; email: string }[]).sort((a, b) => a.email.localeCompare(b.email));
  const agents: unknown[] = [];
  for (const c of contacts) agents.push(await agentEvents(storeId, c.id));
  let text = JSON.stringify({ tables, agents });
  contacts.forEach((c, i) => (text = text.replaceAll(c.id, `contact-${i}`)));
  const neutral = JSON.parse(text.replaceAll(storeId, 'store')) as { tables: Record<string, unknown[]>; agents: unknown[] };
  for (const rows of Object.values(neutral.tables)) rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  for (const row of neutral.tables.webhook_deliveries as { processed_at: unknown }[]) {
    row.processed_at = row.processed_at === null ? null : 'set';
  }
  return neutral;
}

/**
 * Calls the batch handler directly with `d1` as the database, and reports what happened to each message, with the
 * delay each retry asked for.
 */
async function consumeWith(d1: D1Database, bodies: WooDeliveryMessage[], attempts = 1) {
  const batch = createMessageBatch<WooDeliveryMessage>(
    INGEST_QUEUE,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  const delays = new Map<string, number | undefined>();
  const messages = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (prop === 'retry') delays.set(target.id, (args[0] as QueueRetryOptions | undefined)?.delaySeconds);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
  );
  await consumeWooBatch({ ...env, DB: d1 }, db(d1), messages);
  return { ...(await getQueueResult(batch, createExecutionContext())), delays };
}

type Trip = { sql: string[]; params: number[] };

/** The real D1 binding, recording the statements of each round trip it makes; `afterBatch` may fail a batch. */
function countingD1(real: D1Database, trips: Trip[], afterBatch: (trip: Trip) => void = () => {}): D1Database {
  const statements = new WeakMap<object, { real: D1PreparedStatement; sql: string; params: number }>();
  const wrap = (stmt: D1PreparedStatement, sql: string, params: number): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args), sql, args.length);
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (['first', 'all', 'run', 'raw'].includes(String(prop))) trips.push({ sql: [sql], params: [params] });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    statements.set(proxy, { real: stmt, sql, params });
    return proxy;
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql, 0);
      if (prop === 'batch') {
        return async (list: D1PreparedStatement[]) => {
          const known = list.map((s) => statements.get(s) ?? { real: s, sql: '?', params: 0 });
          const trip = { sql: known.map((k) => k.sql), params: known.map((k) => k.params) };
          trips.push(trip);
          const results = await target.batch(known.map((k) => k.real));
          afterBatch(trip);
          return results;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const touchesLog = (trip: Trip) => trip.sql.some((s) => s.includes('webhook_deliveries'));

describe('the WooCommerce batch consumer', { timeout: 60_000 }, () => {
  it('leaves exactly the tables that processing the deliveries one by one leaves, and a replay changes nothing', async () => {
    const [single, batched] = ['wb-single', 'wb-batched'];
    await Promise.all([seedStore(single), seedStore(batched)]);
    for (const message of await fixtureMessages(single)) await processWooMessage(env, message);

    const messages = await fixtureMessages(batched);
    // The queue may hand over a delivery twice in one batch: each copy is acknowledged, the delivery applied once.
    const withCopies = [...messages, ...messages.slice(0, 3)];
    const result = await runQueue(INGEST_QUEUE, withCopies);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(withCopies.length);
    const after = await snapshot(batched);
    expect(after).toEqual(await snapshot(single));
    expect(after.tables.ingest_payloads).toEqual([]);
    expect(after.tables.order_items).toHaveLength(4);

    for (const replay of [messages, [...messages].reverse()]) {
      const again = await runQueue(INGEST_QUEUE, replay);
      expect(again.retryMessages).toEqual([]);
      expect(again.explicitAcks).toHaveLength(messages.length);
    }
    expect(await snapshot(batched)).toEqual(after);
  });

  it('acknowledges a delivery already processed without applying it again, and releases its payload', async () => {
    const store = 'wb-done';
    await seedStore(store);
    const messages = await fixtureMessages(store);
    const done = messages.find((m) => m.topic === 'order.created' && 'payloadId' in m.body);
    if (!done) throw new Error('no queued order.created');
    const d = db(env.DB);
    await recordDelivery(d, { storeId: store, deliveryId: done.deliveryId, topic: done.topic, status: 'processed', receivedAt: 1 });

    const result = await consumeWith(env.DB, [done]);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(await findOrder(d, store, 17)).toBeUndefined();
    expect(await findDelivery(d, store, done.deliveryId)).toMatchObject({ status: 'processed', receivedAt: 1, processedAt: null });
    if (!('payloadId' in done.body)) throw new Error('order.created travels inline');
    const left = await env.DB.prepare('SELECT count(*) AS n FROM ingest_payloads WHERE id = ?').bind(done.body.payloadId).first();
    expect(left).toEqual({ n: 0 });
  });

  it('retries a delivery that cannot be done yet with the backoff, and finishes the rest', async () => {
    const store = 'wb-retry';
    await seedStore(store);
    const d = db(env.DB);
    await recordDelivery(d, { storeId: store, deliveryId: 'lost-1', topic: 'order.created', status: 'queued', receivedAt: 1 });
    const lost = wooMessage(store, 'lost-1', 'order.created', { payloadId: 'nowhere' });
    const messages = [...(await fixtureMessages(store)), lost];

    const result = await consumeWith(env.DB, messages, 3);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([`m${messages.length - 1}`]);
    expect([...result.delays]).toEqual([[`m${messages.length - 1}`, retryDelaySeconds(3)]]);
    expect(result.explicitAcks).toHaveLength(messages.length - 1);
    const { results } = await env.DB.prepare('SELECT delivery_id, status, error FROM webhook_deliveries WHERE store_id = ?')
      .bind(store)
      .all<{ delivery_id: string; status: string; error: string | null }>();
    expect(results.filter((r) => r.status === 'queued')).toEqual([
      { delivery_id: 'lost-1', status: 'queued', error: 'payload of delivery lost-1 is missing' },
    ]);
    expect(results).toHaveLength(messages.length);
  });

  it('retries alone a delivery whose apply failed in the batch; the second attempt writes the same', async () => {
    const [single, batched] = ['wb-flaky-single', 'wb-flaky'];
    await Promise.all([seedStore(single), seedStore(batched)]);
    for (const message of await fixtureMessages(single)) await processWooMessage(env, message);
    let failures = 0;
    // The first order write is stored, but its answer is lost on the way back.
    const flaky = countingD1(env.DB, [], (trip) => {
      if (failures > 0 || !trip.sql[0]?.startsWith('insert into "orders"')) return;
      failures++;
      throw new Error('D1 connection reset');
    });

    const result = await consumeWith(flaky, await fixtureMessages(batched));
    expect(failures).toBe(1);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(fixtures.length);
    expect(await snapshot(batched)).toEqual(await snapshot(single));
  });

  it('logs a batch in two round trips however many deliveries it holds, each statement under 100 parameters', async () => {
    const store = 'wb-count';
    await seedStore(store);
    const oneByOne: Trip[] = [];
    const counted = countingD1(env.DB, oneByOne);
    for (const message of await fixtureMessages(store, 0)) await processWooMessage({ ...env, DB: counted }, message);
    expect(oneByOne.filter(touchesLog).length).toBeGreaterThanOrEqual(2 * fixtures.length);

    for (const rounds of [1, ROUNDS]) {
      const messages = (await Promise.all(Array.from({ length: rounds }, (_, r) => fixtureMessages(store, r + 1)))).flat();
      const trips: Trip[] = [];
      const result = await consumeWith(countingD1(env.DB, trips), messages);
      expect(result.explicitAcks).toHaveLength(messages.length);
      const log = trips.filter(touchesLog);
      expect(log).toHaveLength(2);
      expect(Math.max(...trips.flatMap((t) => t.params))).toBeLessThanOrEqual(100);
      if (rounds === ROUNDS) expect(log[0]?.sql.length).toBeGreaterThan(2);
    }
    const { results } = await env.DB.prepare('SELECT status, count(*) AS n FROM webhook_deliveries WHERE store_id = ? GROUP BY status')
      .bind(store)
      .all();
    expect(results.every((r) => r.status === 'processed' || r.status === 'stale')).toBe(true);
  });
});
