import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../index';
import { adminFetch, csrfOf, login, page } from '../test/dashboard-session';
import { agentEvents, contactIdByEmail, deliveries, fixture, seedStore, wireText, wooMessage } from '../test/woo-fixtures';
import { INGEST_DEAD_LETTER_QUEUE, INGEST_QUEUE } from './consumer';

const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** D1 in an outage for anything touching orders: every statement on that table throws, as D1 does when it fails. */
function failingDb(): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (query: string) => {
          if (/"orders"/.test(query)) throw new Error('D1_ERROR: simulated outage');
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Runs bodies through the worker's queue handler as `queue` would deliver them, with the given bindings. */
async function deliverQueue(queue: string, bodies: unknown[], bindings: Env, attempts: number) {
  const batch = createMessageBatch<unknown>(queue, bodies.map((body, i) => ({ id: `dl${i}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings);
  return getQueueResult(batch, ctx);
}

type Parked = { id: number; kind: string; error: string | null };
async function parked(store: string): Promise<{ total: number; recent: Parked[] }> {
  const res = await SELF.fetch(`http://x/api/stores/${store}`, { headers: AUTH });
  return (await res.json<{ webhooks: { failures: { total: number; recent: Parked[] } } }>()).webhooks.failures;
}

/** A consumer whose D1 throws, every retry, until the queue hands the message to the dead-letter queue. */
async function parkOrder(store: string, deliveryId: string, name: string) {
  const message = wooMessage(store, deliveryId, 'order.created', { inline: wireText(fixture(name).raw_body) }, Date.now());
  for (let attempt = 1; attempt <= 6; attempt++) {
    const result = await deliverQueue(INGEST_QUEUE, [message], { ...env, DB: failingDb() }, attempt);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['dl0']);
  }
  const dead = await deliverQueue(INGEST_DEAD_LETTER_QUEUE, [message], env, 1);
  expect(dead.explicitAcks).toEqual(['dl0']);
  return message;
}

async function placedEvents(store: string, orderId: number): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM events WHERE store_id = ? AND event_key = ?`).bind(store, `woo:order:${orderId}:placed`).first<{ n: number }>();
  return row?.n ?? 0;
}

describe('dead letters', () => {
  it('parks what a failing consumer gave up on, shows it, and an admin retry applies it once', async () => {
    const store = 'dl-api';
    await seedStore(store);
    await parkOrder(store, 'dl-1', 'order.created');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE store_id = ?').bind(store).first('n')).toBe(0);
    const failures = await parked(store);
    expect(failures.total).toBe(1);
    expect(failures.recent[0]).toMatchObject({ kind: 'woo', error: 'retries exhausted: D1_ERROR: simulated outage' });
    expect((await deliveries(store)).map((r) => [r.status, r.error])).toEqual([['failed', 'D1_ERROR: simulated outage']]);

    const id = failures.recent[0]?.id ?? 0;
    expect((await SELF.fetch(`http://x/api/stores/${store}/ingest-failures/${id}/retry`, { method: 'POST' })).status).toBe(401);
    expect((await SELF.fetch(`http://x/api/stores/other/ingest-failures/${id}/retry`, { method: 'POST', headers: AUTH })).status).toBe(404);
    const retry = await SELF.fetch(`http://x/api/stores/${store}/ingest-failures/${id}/retry`, { method: 'POST', headers: AUTH });
    expect(retry.status).toBe(202);
    // A second click finds nothing parked: the message is queued once.
    expect((await SELF.fetch(`http://x/api/stores/${store}/ingest-failures/${id}/retry`, { method: 'POST', headers: AUTH })).status).toBe(404);

    await vi.waitFor(async () => expect((await deliveries(store)).map((r) => r.status)).toEqual(['processed']), { timeout: 20_000, interval: 50 });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE store_id = ?').bind(store).first('n')).toBe(1);
    expect(await placedEvents(store, 17)).toBe(1);
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    expect((await agentEvents(store, jane)).filter((e) => e.type === 'order.placed')).toHaveLength(1);
    expect((await parked(store)).total).toBe(0);
  });

  it('shows parked messages on the dashboard overview (FR and EN) with a CSRF-protected retry button', async () => {
    const store = 'dl-dash';
    await seedStore(store);
    await parkOrder(store, 'dl-2', 'order.created.guest');
    const cookie = await login();
    const fr = await page(cookie, `/admin/stores/${store}?lang=fr`);
    expect(fr).toContain('Messages mis de côté (ingestion)');
    expect(fr).toContain('Webhook WooCommerce · Commande · création');
    expect(fr).toContain('retries exhausted: D1_ERROR: simulated outage');
    expect(fr).toContain('>Relancer</button>');
    const en = await page(cookie, `/admin/stores/${store}?lang=en`);
    expect(en).toContain('Parked messages (ingestion)');
    expect(en).toContain('>Retry</button>');
    const action = /action="(\/admin\/stores\/dl-dash\/ingest-failures\/\d+\/retry)"/.exec(en)?.[1] ?? '';
    expect(action).not.toBe('');

    const noCsrf = await adminFetch(action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({}) });
    expect(noCsrf.status).toBe(403);
    expect((await parked(store)).total).toBe(1);

    const res = await adminFetch(action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ _csrf: csrfOf(en) }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/admin/stores/${store}?notice=retried#failures`);
    expect(await page(cookie, `/admin/stores/${store}?notice=retried&lang=en`)).toContain('Message sent back to the queue');
    await vi.waitFor(async () => expect((await deliveries(store)).map((r) => r.status)).toEqual(['processed']), { timeout: 20_000, interval: 50 });
    expect(await placedEvents(store, 19)).toBe(1);
  });
});
