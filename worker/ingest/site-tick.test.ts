import { env, SELF } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';
import { JOBS, jobsFor } from '../jobs';
import { stuckSendsJob } from '../messaging/email/stuck-sends';
import { verifyNightshiftSignature } from '../lib/hmac';
import { MORE_SECRET, moreDelivery } from '../test/woo-more-fixtures';
import { MINUTE_CRON, siteTickJob, tickSites, tickUrl } from './site-tick';

/**
 * A local WordPress as far as the tick sees it: WooCommerce's webhook deliveries wait in Action Scheduler until
 * WP-Cron runs (a visitor) or the plugin's signed `POST ?rest_route=/nightshift/v1/tick` runs them; each
 * delivery then reaches Nightshift's webhook route with the captured wire bytes.
 */
function fakeSite(storeId: string, secret: string) {
  const pending: string[] = [];
  const calls: { signature: string | null; status: number }[] = [];
  const app = new Hono();
  app.post('/', async (c) => {
    if (c.req.query('rest_route') !== '/nightshift/v1/tick') return c.json({ code: 'rest_no_route' }, 404);
    const raw = await c.req.text();
    const signature = c.req.header('X-Nightshift-Signature') ?? null;
    const check = await verifyNightshiftSignature(secret, raw, signature ?? undefined, Math.floor(Date.now() / 1000));
    if (check !== 'ok') {
      calls.push({ signature, status: 401 });
      return c.json({ code: 'nightshift_bad_signature', message: 'Invalid or expired signature.', data: { status: 401 } }, 401);
    }
    let ran = 0;
    while (pending.length > 0) {
      const { body, headers } = moreDelivery(pending.shift()!);
      const res = await SELF.fetch(`https://ns.test/webhooks/woocommerce/${storeId}`, { method: 'POST', body, headers });
      expect(res.status).toBe(200);
      ran++;
    }
    calls.push({ signature, status: 200 });
    return c.json({ ran, pending: pending.length });
  });
  return { app, pending, calls };
}

const deliveriesOf = (storeId: string) =>
  env.DB.prepare('SELECT topic, status FROM webhook_deliveries WHERE store_id = ?').bind(storeId).all<{ topic: string; status: string }>();

describe('the minute tick runs WooCommerce webhook queues on sites without visitors', () => {
  it('the minute trigger runs the tick and the sweep of unanswered sends; the 15-minute trigger keeps every other job', () => {
    expect(jobsFor(MINUTE_CRON)).toEqual([siteTickJob, stuckSendsJob]);
    expect(JOBS).not.toContain(stuckSendsJob);
    expect(jobsFor('*/15 * * * *')).toBe(JOBS);
    expect(JOBS).not.toContain(siteTickJob);
  });

  it('builds the route that works with and without pretty permalinks', () => {
    expect(tickUrl('https://shop.example/fr')).toBe('https://shop.example/fr/?rest_route=%2Fnightshift%2Fv1%2Ftick');
    expect(tickUrl('http://127.0.0.1:18080/')).toBe('http://127.0.0.1:18080/?rest_route=%2Fnightshift%2Fv1%2Ftick');
  });

  it('signs a call to every connected site; a held order delivery arrives; a broken site fails alone', async () => {
    const d = db(env.DB);
    const now = Date.now();
    const base = { createdAt: 1, updatedAt: 1, connectedAt: now };
    await upsertStore(d, { ...base, id: 'tick-quiet', name: 'Quiet', siteUrl: 'https://quiet.example', webhookSecret: MORE_SECRET, siteKey: 'pk_tick_quiet' });
    await upsertStore(d, { ...base, id: 'tick-broken', name: 'Broken', siteUrl: 'https://broken.example', webhookSecret: 'other-secret', siteKey: 'pk_tick_broken' });
    await upsertStore(d, { ...base, id: 'tick-down', name: 'Down', siteUrl: 'https://down.example', webhookSecret: 'third-secret', siteKey: 'pk_tick_down' });
    await upsertStore(d, { ...base, connectedAt: null, id: 'tick-gone', name: 'Gone', siteUrl: 'https://gone.example', webhookSecret: 'x', siteKey: 'pk_tick_gone' });

    const quiet = fakeSite('tick-quiet', MORE_SECRET);
    quiet.pending.push('order.created.store-api');
    const broken = fakeSite('tick-broken', 'a-secret-the-worker-does-not-have');
    const hosts: Record<string, Hono> = { 'quiet.example': quiet.app, 'broken.example': broken.app };
    const asked: string[] = [];
    const fetcher = async (input: string, init: RequestInit) => {
      const host = new URL(input).host;
      asked.push(host);
      const app = hosts[host];
      if (!app) throw new TypeError('fetch failed: connection refused');
      return app.fetch(new Request(input, init));
    };

    const results = await tickSites(env, now, fetcher);
    expect(asked.sort()).toEqual(['broken.example', 'down.example', 'quiet.example']);
    const byStore = Object.fromEntries(results.map((r) => [r.storeId, r]));
    expect(byStore['tick-quiet']).toMatchObject({ ok: true, status: 200, ran: 1 });
    expect(byStore['tick-broken']).toMatchObject({ ok: false, status: 401 });
    expect(byStore['tick-down']).toMatchObject({ ok: false, status: null, error: 'TypeError' });
    expect(quiet.calls[0]?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(quiet.pending).toEqual([]);
    await vi.waitFor(async () => {
      const { results: rows } = await deliveriesOf('tick-quiet');
      expect(rows).toEqual([{ topic: 'order.created', status: 'processed' }]);
    }, { timeout: 20_000, interval: 50 });
  });
});
