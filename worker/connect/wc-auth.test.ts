/// <reference types="vite/client" />
import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latestCatalogRun } from '../db/queries/catalog';
import { findProduct } from '../db/queries/products';
import { findStoreSettings } from '../db/queries/store-settings';
import { findStore } from '../db/queries/stores';
import { recordWcAuthRequest } from '../db/queries/wc-auth';
import { db } from '../db/client';
import { sha256Hex } from '../lib/hmac';
import { createWooCatalogFake, simple } from '../catalog/test/woo-catalog-fake';
import { decodeConnectCode } from './connect-code';

const wire = import.meta.glob<string>('../../../shared/fixtures/woocommerce-more/{wc-auth,plugin}/*', { query: '?raw', import: 'default', eager: true });
function captured(name: string) {
  const body = wire[`../../../shared/fixtures/woocommerce-more/${name}.body`];
  const headerPairs = wire[`../../../shared/fixtures/woocommerce-more/${name}.headers.json`];
  if (body === undefined || headerPairs === undefined) throw new Error(`fixture ${name} not found`);
  const skip = new Set(['host', 'connection', 'content-length', 'authorization']);
  const headers = new Headers((JSON.parse(headerPairs) as [string, string][]).filter(([n]) => !skip.has(n.toLowerCase())));
  return { body, headers };
}

const BASE = 'https://ns.test';
const admin = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const CALLBACK = captured('wc-auth/callback');
const KEYS = JSON.parse(CALLBACK.body) as { consumer_key: string; consumer_secret: string };

async function createStore(id: string, base = BASE) {
  const res = await SELF.fetch(`${base}/api/stores`, { method: 'POST', headers: admin, body: JSON.stringify({ id, name: 'Boutique', siteUrl: 'http://127.0.0.1:18080/' }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { connectToken: string; connectCode: string };
}

/** The plugin's captured connect request, sent with the token the connect code carries. */
async function connect(code: string) {
  const parsed = decodeConnectCode(code)!;
  const { body, headers } = captured('plugin/connect');
  headers.set('Authorization', `Bearer ${parsed.connectToken}`);
  const res = await SELF.fetch(`${parsed.workerUrl}/api/stores/${parsed.storeId}/connect`, { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  return (await res.json()) as { wooKeys: boolean; wcAuth: { userId: string; callbackUrl: string; expiresAt: number } | null; catalogRun: string | null };
}

const callback = (url: string, body: string) => SELF.fetch(url, { method: 'POST', body, headers: CALLBACK.headers });
const withUserId = (userId: string) => CALLBACK.body.replace('"user_id":"demo"', `"user_id":${JSON.stringify(userId)}`);

afterEach(() => vi.restoreAllMocks());

describe('one-click connect: connect code, WooCommerce app authorization, catalogue import', { timeout: 30_000 }, () => {
  it('the connect code carries the worker URL, store id and one-time token the plugin connects with', async () => {
    const created = await createStore('wca-code');
    expect(created.connectCode).toMatch(/^nsc1\.[A-Za-z0-9_-]+$/);
    expect(decodeConnectCode(created.connectCode)).toEqual({ workerUrl: BASE, storeId: 'wca-code', connectToken: created.connectToken });
    expect(decodeConnectCode(`  ${created.connectCode}\n`)).toBeDefined();
    expect(decodeConnectCode('nsc1.bm90IGpzb24')).toBeUndefined();
    expect(decodeConnectCode(created.connectToken)).toBeUndefined();
  });

  it('connect offers a one-time user_id; the captured callback with it stores the keys, answers 200 and imports the catalogue', async () => {
    const created = await createStore('wca-flow');
    const fake = createWooCatalogFake(KEYS.consumer_key, KEYS.consumer_secret);
    fake.products.push(simple({ id: 501, name: 'Thé vert', price: '12.50', stock: 8, modified: Date.UTC(2026, 10, 1) }, []));
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.startsWith('http://127.0.0.1:18080/') ? fake.fetch(url, init ?? {}) : realFetch(input, init);
    });

    const connected = await connect(created.connectCode);
    expect(connected).toMatchObject({ wooKeys: false, catalogRun: null, wcAuth: { callbackUrl: `${BASE}/wc-auth/callback/wca-flow` } });
    const userId = connected.wcAuth!.userId;
    expect(userId).toMatch(/^wca_[A-Za-z0-9_-]{32}$/);

    const res = await callback(connected.wcAuth!.callbackUrl, withUserId(userId));
    expect(res.status).toBe(200);
    expect(await findStoreSettings(d(), 'wca-flow')).toMatchObject({ wooConsumerKey: KEYS.consumer_key, wooConsumerSecret: KEYS.consumer_secret });
    expect(await latestCatalogRun(d(), 'wca-flow')).toMatchObject({ reason: 'connect' });
    // The real INGEST queue runs the import against the store's REST API.
    await vi.waitFor(async () => expect(await findProduct(d(), 'wca-flow', 501)).toMatchObject({ name: 'Thé vert', price: 12.5, stockQuantity: 8 }), { timeout: 15_000, interval: 100 });

    // A replay of the same callback, or anyone who saw it, gets nothing.
    expect((await callback(connected.wcAuth!.callbackUrl, withUserId(userId).replace(KEYS.consumer_key, `ck_${'0'.repeat(40)}`))).status).toBe(401);
    expect((await findStoreSettings(d(), 'wca-flow'))?.wooConsumerKey).toBe(KEYS.consumer_key);

    // A reconnect with keys in place imports at once and asks for no new authorization.
    const again = await connect(created.connectCode);
    expect(again).toMatchObject({ wooKeys: true, wcAuth: null });
  });

  it('the exact captured callback is accepted once for the value it echoes, and refused for values never issued, expired or of another store', async () => {
    await createStore('wca-exact');
    await createStore('wca-other');
    const now = Date.now();
    const url = `${BASE}/wc-auth/callback/wca-exact`;
    expect((await callback(url, CALLBACK.body)).status).toBe(401); // "demo" was never issued

    await recordWcAuthRequest(d(), 'wca-other', await sha256Hex('demo'), now, now + 60_000);
    expect((await callback(url, CALLBACK.body)).status).toBe(401);
    await recordWcAuthRequest(d(), 'wca-exact', await sha256Hex('expired-value'), now - 7_200_000, now - 3_600_000);
    expect((await callback(url, withUserId('expired-value'))).status).toBe(401);
    expect((await callback(`${BASE}/wc-auth/callback/no-such-store`, CALLBACK.body)).status).toBe(401);
    expect(await findStoreSettings(d(), 'wca-exact')).toBeUndefined();

    await recordWcAuthRequest(d(), 'wca-exact', await sha256Hex('demo'), now, now + 60_000);
    const res = await callback(url, CALLBACK.body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await findStoreSettings(d(), 'wca-exact')).toMatchObject({ wooConsumerKey: KEYS.consumer_key, wooConsumerSecret: KEYS.consumer_secret });
    expect((await callback(url, CALLBACK.body)).status).toBe(401);
  });

  it('refuses read-only keys and malformed bodies; a worker reached over plain HTTP offers no authorization', async () => {
    await createStore('wca-bad');
    const now = Date.now();
    await recordWcAuthRequest(d(), 'wca-bad', await sha256Hex('demo'), now, now + 60_000);
    const url = `${BASE}/wc-auth/callback/wca-bad`;
    expect((await callback(url, CALLBACK.body.replace('read_write', 'read'))).status).toBe(400);
    expect((await callback(url, '{"user_id":"demo"}')).status).toBe(400);
    expect((await callback(url, 'not json')).status).toBe(400);

    const plain = await createStore('wca-http', 'http://ns.test');
    expect(decodeConnectCode(plain.connectCode)?.workerUrl).toBe('http://ns.test');
    expect((await connect(plain.connectCode)).wcAuth).toBeNull();
    expect((await findStore(d(), 'wca-http'))?.connectedAt).not.toBeNull();
  });
});
