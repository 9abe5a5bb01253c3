import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { recordWebhookRejection, webhookRejectionsSince } from '../db/queries/onboarding';
import worker from '../index';
import { fixture, fixtureBytes, fixtureHeaders, seedStore } from '../test/woo-fixtures';

const DAY = 86_400_000;

/** A delivery through the worker's own fetch, waiting for the work it left for after the answer. */
async function deliver(storeId: string, body: Uint8Array, headers: Headers): Promise<Response> {
  const ctx = createExecutionContext();
  const req = new Request(`https://ns.test/webhooks/woocommerce/${storeId}`, { method: 'POST', body, headers });
  const res = await worker.fetch(req, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function signedWithWrongSecret(name: string): { body: Uint8Array; headers: Headers } {
  const f = fixture(name);
  const headers = fixtureHeaders(f);
  // The signature of another captured delivery: right format, wrong for these bytes.
  headers.set('X-WC-Webhook-Signature', fixture('order.created.guest').signature);
  return { body: fixtureBytes(f), headers };
}

async function rows(storeId: string) {
  const { results } = await env.DB.prepare('SELECT day, count FROM webhook_rejections WHERE store_id = ? ORDER BY day').bind(storeId).all();
  return results;
}

async function apiRejected(storeId: string) {
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}`, { headers: { Authorization: 'Bearer test-admin-token' } });
  expect(res.status).toBe(200);
  const json = await res.json<{ webhooks: { rejectedLast7Days: { count: number; lastAt: number | null } } }>();
  return json.webhooks.rejectedLast7Days;
}

describe('WooCommerce deliveries refused for their signature are counted per store', () => {
  it('counts wrong-secret deliveries of the captured fixtures, one row per store and day, and shows them in GET /api/stores/:store', async () => {
    const store = 'rej-count';
    await seedStore(store);
    expect(await apiRejected(store)).toEqual({ count: 0, lastAt: null });
    for (const name of ['order.created', 'customer.created', 'order.created']) {
      const { body, headers } = signedWithWrongSecret(name);
      expect((await deliver(store, body, headers)).status).toBe(401);
    }
    const missing = fixtureHeaders(fixture('order.created'));
    missing.delete('X-WC-Webhook-Signature');
    expect((await deliver(store, fixtureBytes(fixture('order.created')), missing)).status).toBe(401);

    expect(await rows(store)).toEqual([{ day: new Date().toISOString().slice(0, 10), count: 4 }]);
    const seen = await apiRejected(store);
    expect(seen.count).toBe(4);
    expect(seen.lastAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('does not count a valid delivery, and records nothing for an unknown store (which answers alike)', async () => {
    const store = 'rej-valid';
    await seedStore(store);
    const f = fixture('order.created');
    expect((await deliver(store, fixtureBytes(f), fixtureHeaders(f))).status).toBe(200);
    expect(await rows(store)).toEqual([]);

    const { body, headers } = signedWithWrongSecret('order.created');
    const unknown = await deliver('rej-nowhere', body, headers);
    const known = await deliver(store, body, headers);
    expect([unknown.status, await unknown.text()]).toEqual([known.status, await known.text()]);
    expect(await rows('rej-nowhere')).toEqual([]);
  });

  it('keeps only the last 7 days in the count', async () => {
    const store = 'rej-window';
    const d = db(env.DB);
    const now = Date.UTC(2026, 10, 24, 12, 0);
    await recordWebhookRejection(d, store, now - 8 * DAY);
    await recordWebhookRejection(d, store, now - 6 * DAY);
    await recordWebhookRejection(d, store, now - 6 * DAY + 1000);
    await recordWebhookRejection(d, store, now);
    expect(await webhookRejectionsSince(d, store, now)).toEqual({ count: 3, lastAt: now });
    expect(await rows(store)).toHaveLength(3);
  });
});
