import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { db } from '../db/client';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { countEvents } from '../db/queries/events';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';
import { collectStore } from '../ingest/collect/collect-processor';
import { consumeIngest, INGEST_QUEUE } from '../ingest/consumer';
import type { CollectMessage } from '../ingest/messages';
import { agentEvents, seedStore } from './woo-fixtures';

/** Collect messages, queue batches of them, and a D1 binding that counts round trips: the collect consumer's tests. */
export const T0 = 1_800_000_000_000;
const d = () => db(env.DB);
export type Event = Record<string, unknown>;

export function collect(storeId: string, visitorId: string, at: number, events: Event[], over: Partial<CollectMessage> = {}): CollectMessage {
  return { kind: 'collect', storeId, trusted: false, visitorId, receivedAt: T0 + at, ipHash: null, userAgent: null, events, ...over };
}
const mugs = (value: number) => [{ productId: 7, quantity: 2, price: value / 2, name: 'Mug' }];
export const cart = (value: number) => ({ items: value ? mugs(value) : [], value, currency: 'EUR' });
export const view = (id: string, at: number): Event => ({ id, type: 'page_view', ts: T0 + at, url: `https://shop.example/${id}` });
export const product = (id: string, at: number): Event => ({ id, type: 'product_view', ts: T0 + at, productId: 7, name: 'Mug', price: 12.5 });
export const cartUpdated = (id: string, at: number, value: number): Event => ({ id, type: 'cart_updated', ts: T0 + at, cart: cart(value) });
export const checkout = (id: string, at: number, value: number): Event => ({ id, type: 'checkout_started', ts: T0 + at, cart: cart(value) });
export const stored = (storeId: string) => countEvents(d(), storeId);
/** One page view from each of two visitors. */
export const twoVisitors = (storeId: string, tag: string) =>
  [1, 2].map((i) => collect(storeId, `v_${tag}_000${i}`, i, [view(`${tag}_view_000${i}`, i)]));

type Outage = { batches?: number; statements?: { matching: RegExp; times: number } };
const RUN = new Set<string | symbol>(['run', 'all', 'first', 'raw']);

/**
 * The D1 binding, counting round trips (a statement run on its own, or one batch); an outage fails the first
 * `batches` batches, and the first `times` statements run on their own whose SQL matches.
 */
export function countingDb(real: D1Database, outage: Outage = {}) {
  const counter = { trips: 0, batchesToFail: outage.batches ?? 0, statementsToFail: outage.statements?.times ?? 0 };
  const originals = new WeakMap<object, D1PreparedStatement>();
  const call = (fn: unknown, self: object, args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(self, args);
  const statement = (target: D1PreparedStatement, query: string): D1PreparedStatement => {
    const proxy = new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => statement(t.bind(...args), query);
        return async (...args: unknown[]) => {
          if (RUN.has(prop)) counter.trips += 1;
          const fails = RUN.has(prop) && outage.statements?.matching.test(query) && counter.statementsToFail-- > 0;
          if (fails) throw new Error('D1 is unavailable');
          return call(value, t, args);
        };
      },
    });
    originals.set(proxy, target);
    return proxy;
  };
  const d1 = new Proxy(real, {
    get(t, prop) {
      if (prop === 'prepare') return (query: string) => statement(t.prepare(query), query);
      if (prop === 'batch') {
        return async (list: D1PreparedStatement[]) => {
          counter.trips += 1;
          if (counter.batchesToFail-- > 0) throw new Error('D1 is unavailable');
          return t.batch(list.map((s) => originals.get(s) ?? s));
        };
      }
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (...args: unknown[]) => call(value, t, args) : value;
    },
  });
  const counted: Env = new Proxy(env, { get: (t, prop) => (prop === 'DB' ? d1 : Reflect.get(t, prop)) });
  return { env: counted, counter };
}

/** Runs the messages through the INGEST consumer as one queue batch. */
export async function runBatch(bodies: CollectMessage[], on: Env = env) {
  const messages = bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body }));
  const batch = createMessageBatch<unknown>(INGEST_QUEUE, messages);
  const ctx = createExecutionContext();
  await consumeIngest(batch, on);
  const result = await getQueueResult(batch, ctx);
  return { acked: [...result.explicitAcks].sort(), retried: result.retryMessages.map((m) => m.msgId) };
}
export const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`).sort();
/** A store already in the isolate's cache, so the round trips counted are the consumer's own. */
export async function cachedSeed(storeId: string): Promise<void> {
  await seedStore(storeId);
  await collectStore(env, storeId);
}

/** A contact with linked visitors, as an earlier identify would have left them. */
export async function knownContact(storeId: string, email: string, visitors: string[]): Promise<string> {
  const { contact } = await findOrCreateContactByEmail(d(), storeId, email, T0 - 10_000);
  for (const visitorId of visitors) {
    await touchVisitor(d(), storeId, visitorId, T0 - 10_000);
    await linkVisitorToContact(d(), storeId, visitorId, contact.id);
  }
  return contact.id;
}

/** The rows the messages left, with what legitimately differs between two stores (store, row and contact ids) taken out. */
export async function rows(storeId: string) {
  const emails = new Map<unknown, unknown>();
  const contacts = await env.DB.prepare('SELECT * FROM contacts WHERE store_id = ? ORDER BY email').bind(storeId).all();
  for (const c of contacts.results) emails.set(c.id, c.email);
  const read = async (sql: string) => {
    const { results } = await env.DB.prepare(sql).bind(storeId).all();
    const named = (row: Record<string, unknown>): Record<string, unknown> => ({ ...row, contact_id: emails.get(row.contact_id) ?? null });
    return results.map(({ store_id: _s, id: _i, ...row }) => ('contact_id' in row ? named(row) : row));
  };
  const agents: Record<string, { id: string }[]> = {};
  for (const [id, email] of emails) {
    const events = await agentEvents(storeId, String(id));
    agents[String(email)] = events.map(({ storeId: _s, contactId: _c, ...event }) => event);
  }
  return {
    events: await read('SELECT * FROM events WHERE store_id = ? ORDER BY event_key'),
    visitors: await read('SELECT * FROM visitors WHERE store_id = ? ORDER BY visitor_id'),
    carts: await read('SELECT * FROM carts WHERE store_id = ? ORDER BY visitor_id'),
    contacts: await read('SELECT * FROM contacts WHERE store_id = ? ORDER BY email'),
    agents,
  };
}

