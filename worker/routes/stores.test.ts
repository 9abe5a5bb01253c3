import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findStore } from '../db/queries/stores';
import { sha256Hex } from '../lib/hmac';

const BASE = 'https://ns.test';
const admin = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const pluginSecret = 'p1ug!n-G3nerated_secret#with&punctuation(50 chars)';

function post(path: string, body: unknown, headers: Record<string, string>) {
  return SELF.fetch(`${BASE}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function createStore(id: string, extra: Record<string, unknown> = {}) {
  const res = await post('/api/stores', { id, name: `Shop ${id}`, ...extra }, admin);
  expect(res.status).toBe(201);
  return (await res.json()) as { store: Record<string, unknown>; connectToken: string; connectUrl: string };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
const connectBody = { webhookSecret: pluginSecret, siteUrl: 'https://shop.example.com/', pluginVersion: '0.1.0' };

describe('POST /api/stores', () => {
  it('refuses a missing or wrong admin token with 401', async () => {
    const body = { id: 'auth-shop', name: 'Auth' };
    expect((await post('/api/stores', body, { 'Content-Type': 'application/json' })).status).toBe(401);
    const wrong = await post('/api/stores', body, bearer(`${env.ADMIN_TOKEN}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer realm="nightshift"');
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await findStore(db(env.DB), 'auth-shop')).toBeUndefined();
  });

  it('answers 400 with a readable message for bad input', async () => {
    const cases: unknown[] = [
      { id: 'Bad Id!', name: 'x' },
      { id: 'ok-id', name: '' },
      { id: 'ok-id', name: 'x', locale: 'de' },
      { id: 'ok-id', name: 'x', siteUrl: 'ftp://shop.example.com' },
      { id: 'ok-id', name: 'x', timezone: 'Mars/Olympus' },
      { id: 'ok-id', name: 'x', adminEmail: 'nope' },
      { id: 'ok-id', name: 'x', allowedOrigins: ['https://shop.example.com/path'] },
    ];
    for (const body of cases) {
      const res = await post('/api/stores', body, admin);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const notJson = await post('/api/stores', '{nope', admin);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('creates a store, shows the connect token once and stores only its sha256', async () => {
    const { store, connectToken, connectUrl } = await createStore('create-shop', {
      siteUrl: 'https://create.example.com/boutique',
      timezone: 'America/New_York',
      locale: 'en',
      currency: 'USD',
      adminEmail: 'owner@create.example.com',
    });
    expect(store).toMatchObject({ id: 'create-shop', locale: 'en', currency: 'USD', allowedOrigins: ['https://create.example.com'], connectedAt: null });
    expect(store).not.toHaveProperty('webhookSecret');
    expect(store).not.toHaveProperty('connectTokenHash');
    expect(store.siteKey).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
    expect(connectUrl).toBe(`${BASE}/api/stores/create-shop/connect`);
    const row = await findStore(db(env.DB), 'create-shop');
    expect(row?.connectTokenHash).toBe(await sha256Hex(connectToken));
    expect(JSON.stringify(row)).not.toContain(connectToken);
  });

  it('answers 409 for a duplicate store id and leaves the first untouched', async () => {
    const first = await createStore('dup-shop');
    const res = await post('/api/stores', { id: 'dup-shop', name: 'Impostor' }, admin);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'conflict' } });
    const row = await findStore(db(env.DB), 'dup-shop');
    expect(row?.name).toBe('Shop dup-shop');
    expect(row?.connectTokenHash).toBe(await sha256Hex(first.connectToken));
  });
});

describe('POST /api/stores/:store/connect and /disconnect', () => {
  it('needs the store connect token: admin token, another store token or unknown store → 401', async () => {
    const a = await createStore('conn-auth-a');
    const b = await createStore('conn-auth-b');
    expect((await post('/api/stores/conn-auth-a/connect', connectBody, bearer(env.ADMIN_TOKEN))).status).toBe(401);
    expect((await post('/api/stores/conn-auth-a/connect', connectBody, bearer(b.connectToken))).status).toBe(401);
    expect((await post('/api/stores/no-such-shop/connect', connectBody, bearer(a.connectToken))).status).toBe(401);
    expect((await post('/api/stores/conn-auth-a/disconnect', {}, bearer(b.connectToken))).status).toBe(401);
    expect((await findStore(db(env.DB), 'conn-auth-a'))?.connectedAt).toBeNull();
  });

  it('validates the connect body after authenticating', async () => {
    const { connectToken } = await createStore('conn-bad');
    const res = await post('/api/stores/conn-bad/connect', { ...connectBody, webhookSecret: 'short' }, bearer(connectToken));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('stores the plugin secret, answers the URLs, and is idempotent', async () => {
    const { connectToken, store } = await createStore('conn-shop', { allowedOrigins: ['https://www.conn.example.com'] });
    const res = await post('/api/stores/conn-shop/connect', { ...connectBody, timezone: 'Europe/Brussels' }, bearer(connectToken));
    expect(res.status).toBe(200);
    const { wcAuth, ...answer } = (await res.json()) as { wcAuth: { userId: string; callbackUrl: string } };
    expect(answer).toEqual({
      store: 'conn-shop',
      siteKey: store.siteKey,
      trackerUrl: `${BASE}/tracker.js?store=conn-shop`,
      collectUrl: `${BASE}/collect`,
      webhookUrl: `${BASE}/webhooks/woocommerce/conn-shop`,
      wooKeys: false,
      catalogRun: null,
    });
    expect(wcAuth).toMatchObject({ callbackUrl: `${BASE}/wc-auth/callback/conn-shop`, userId: expect.stringMatching(/^wca_/) });
    const first = await findStore(db(env.DB), 'conn-shop');
    expect(first).toMatchObject({
      webhookSecret: pluginSecret,
      siteUrl: 'https://shop.example.com/',
      timezone: 'Europe/Brussels',
      allowedOrigins: ['https://www.conn.example.com', 'https://shop.example.com'],
    });
    expect(first?.connectedAt).toEqual(expect.any(Number));

    const again = await post('/api/stores/conn-shop/connect', connectBody, bearer(connectToken));
    expect(again.status).toBe(200);
    // Each connect issues its own one-time authorization value; the rest is the same.
    const { wcAuth: wcAuthAgain, ...answerAgain } = (await again.json()) as { wcAuth: { userId: string } };
    expect(answerAgain).toEqual(answer);
    expect(wcAuthAgain.userId).not.toBe(wcAuth.userId);
    const second = await findStore(db(env.DB), 'conn-shop');
    expect(second?.allowedOrigins).toEqual(first?.allowedOrigins);
    expect(second?.connectedAt).toBe(first?.connectedAt);
    expect(second?.webhookSecret).toBe(pluginSecret);
  });

  it('disconnects, and the same token connects again', async () => {
    const { connectToken } = await createStore('disc-shop');
    expect((await post('/api/stores/disc-shop/connect', connectBody, bearer(connectToken))).status).toBe(200);
    const res = await post('/api/stores/disc-shop/disconnect', '', bearer(connectToken));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ store: 'disc-shop', connected: false });
    expect((await findStore(db(env.DB), 'disc-shop'))?.connectedAt).toBeNull();
    const rotated = { ...connectBody, webhookSecret: `${pluginSecret}-rotated` };
    expect((await post('/api/stores/disc-shop/connect', rotated, bearer(connectToken))).status).toBe(200);
    const row = await findStore(db(env.DB), 'disc-shop');
    expect(row?.connectedAt).toEqual(expect.any(Number));
    expect(row?.webhookSecret).toBe(rotated.webhookSecret);
  });
});
