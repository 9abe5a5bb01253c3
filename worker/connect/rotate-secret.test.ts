import { env, SELF } from 'cloudflare:test';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client';
import { findStore, replaceConnectToken, upsertStore } from '../db/queries/stores';
import { hmacSha256, sha256Hex, SIGNATURE_HEADER, signNightshift, toBase64, verifyNightshiftSignature } from '../lib/hmac';
import { signIdentityToken, verifyIdentityToken } from '../lib/identity-token';
import { fixture, fixtureBytes, fixtureHeaders, SECRET } from '../test/woo-fixtures';
import { verifyingSecrets } from './secrets';

const BASE = 'https://ns.test';
const SITE = 'https://rotate.shop.example';
const admin = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

/** The plugin's `/nightshift/v1/secret` route as the plugin answers it: signed with its current or previous secret. */
function fakePlugin(initial: string) {
  const state = { current: initial, previous: [] as string[], calls: 0, down: false };
  const app = new Hono();
  app.post('/', async (c) => {
    state.calls++;
    if (state.down) return c.text('Service Unavailable', 503);
    if (c.req.query('rest_route') !== '/nightshift/v1/secret') return c.json({ code: 'rest_no_route' }, 404);
    const raw = await c.req.text();
    const check = await verifyNightshiftSignature([state.current, ...state.previous], raw, c.req.header(SIGNATURE_HEADER), Math.floor(Date.now() / 1000));
    if (check !== 'ok') return c.json({ code: 'nightshift_bad_signature', message: check, data: { status: 401 } }, 401);
    const { secret } = JSON.parse(raw) as { secret: string };
    if (secret !== state.current) state.previous.unshift(state.current);
    state.current = secret;
    return c.json({ ok: true, webhooks: 11 });
  });
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return url.startsWith(SITE) ? Promise.resolve(app.fetch(new Request(url, init))) : realFetch(input, init);
  });
  return state;
}

async function seedConnected(id: string) {
  await upsertStore(d(), { id, name: id, siteUrl: `${SITE}/`, webhookSecret: SECRET, siteKey: `pk_${id}`, connectedAt: 1, createdAt: 1, updatedAt: 1 });
}

const rotate = (id: string, body: unknown = {}) =>
  SELF.fetch(`${BASE}/api/stores/${id}/rotate-secret`, { method: 'POST', headers: admin, body: JSON.stringify(body) });

/** A captured delivery re-signed with `secret` (the captured one is signed with the fixtures' secret, the old one). */
async function webhook(id: string, secret: string) {
  const f = fixture('order.created');
  const bytes = fixtureBytes(f);
  const headers = fixtureHeaders(f);
  headers.set('X-WC-Webhook-Signature', toBase64(await hmacSha256(secret, bytes)));
  return SELF.fetch(`${BASE}/webhooks/woocommerce/${id}`, { method: 'POST', body: bytes, headers });
}

async function signedBatch(id: string, secret: string) {
  const body = JSON.stringify({ store: id, visitorId: 'v_rotation_visitor', events: [{ id: crypto.randomUUID(), type: 'page_view', ts: Date.now(), url: `${SITE}/` }] });
  return SELF.fetch(`${BASE}/collect`, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: await signNightshift(secret, body, Math.floor(Date.now() / 1000)) },
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('POST /api/stores/:store/rotate-secret', () => {
  it('hands the new secret to the plugin, and both secrets verify webhooks and signed batches until the grace period ends', async () => {
    await seedConnected('rot-a');
    const plugin = fakePlugin(SECRET);
    expect((await webhook('rot-a', SECRET)).status).toBe(200); // the isolate now caches the store with the old secret

    const res = await rotate('rot-a', { graceMinutes: 60 });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { rotated: boolean; webhooksUpdated: number; previousSecretValidUntil: string };
    expect(answer).toMatchObject({ rotated: true, webhooksUpdated: 11 });
    expect(JSON.stringify(answer)).not.toContain(plugin.current);
    const store = (await findStore(d(), 'rot-a'))!;
    expect(store.webhookSecret).toBe(plugin.current);
    expect(store.webhookSecret).not.toBe(SECRET);
    expect(store).toMatchObject({ previousWebhookSecret: SECRET, pendingWebhookSecret: null });
    expect(Date.parse(answer.previousSecretValidUntil)).toBe(store.previousSecretUntil);
    // Both secrets are sealed at rest like the current one: D1 holds neither in clear.
    const raw = await env.DB.prepare('SELECT webhook_secret, previous_webhook_secret FROM stores WHERE id = ?').bind('rot-a').first<Record<string, string>>();
    expect(Object.values(raw ?? {}).some((v) => v === SECRET || v === plugin.current)).toBe(false);

    // WooCommerce deliveries queued before the plugin re-saved its webhooks are still signed with the old secret.
    expect((await webhook('rot-a', SECRET)).status).toBe(200);
    expect((await webhook('rot-a', plugin.current)).status).toBe(200);
    expect((await signedBatch('rot-a', SECRET)).status).toBe(204);
    expect((await signedBatch('rot-a', plugin.current)).status).toBe(204);
    expect((await webhook('rot-a', 'a-secret-nobody-has')).status).toBe(401);

    // The grace period is over: the old secret stops at once, whatever an isolate cached.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(store.previousSecretUntil! + 1);
    expect((await webhook('rot-a', SECRET)).status).toBe(401);
    expect((await signedBatch('rot-a', SECRET)).status).toBe(401);
    expect((await webhook('rot-a', plugin.current)).status).toBe(200);
  });

  it('keeps the current secret when the plugin does not confirm, accepts the pending one, and re-sends that same one', async () => {
    await seedConnected('rot-b');
    const plugin = fakePlugin(SECRET);
    plugin.down = true;
    const failed = await rotate('rot-b');
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('bad_gateway');
    const pending = (await findStore(d(), 'rot-b'))!;
    expect(pending.webhookSecret).toBe(SECRET);
    expect(pending.pendingWebhookSecret).toMatch(/^[A-Za-z0-9_-]{48}$/);
    // The plugin may have stored it before its answer was lost: what it signs with it verifies.
    expect((await webhook('rot-b', pending.pendingWebhookSecret!)).status).toBe(200);
    expect((await webhook('rot-b', SECRET)).status).toBe(200);

    plugin.down = false;
    expect((await rotate('rot-b')).status).toBe(200);
    expect(plugin.current).toBe(pending.pendingWebhookSecret);
    expect((await findStore(d(), 'rot-b'))).toMatchObject({ webhookSecret: pending.pendingWebhookSecret, previousWebhookSecret: SECRET, pendingWebhookSecret: null });
    // A rotation left unconfirmed ends when the plugin connects again with its own secret.
    plugin.down = true;
    expect((await rotate('rot-b')).status).toBe(502);
    const stale = (await findStore(d(), 'rot-b'))!.pendingWebhookSecret!;
    const { connectToken } = await newToken('rot-b');
    const reconnect = await SELF.fetch(`${BASE}/api/stores/rot-b/connect`, {
      method: 'POST', headers: { Authorization: `Bearer ${connectToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ webhookSecret: pending.pendingWebhookSecret, siteUrl: `${SITE}/`, pluginVersion: '0.2.0' }),
    });
    expect(reconnect.status).toBe(200);
    expect((await findStore(d(), 'rot-b'))?.pendingWebhookSecret).toBeNull();
    expect((await webhook('rot-b', stale)).status).toBe(401);
  });

  it('refuses without the admin token, for an unconnected store, and a grace period shorter than the store cache', async () => {
    await upsertStore(d(), { id: 'rot-c', name: 'c', webhookSecret: SECRET, siteKey: 'pk_rot-c', createdAt: 1, updatedAt: 1 });
    expect((await SELF.fetch(`${BASE}/api/stores/rot-c/rotate-secret`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await rotate('rot-c')).status).toBe(409);
    expect((await rotate('rot-c', { graceMinutes: 0 })).status).toBe(400);
    expect((await rotate('rot-nope')).status).toBe(404);
    const res = await SELF.fetch(`${BASE}/api/stores/rot-c`, { headers: admin });
    const shown = JSON.stringify(await res.json());
    expect(shown).not.toContain(SECRET);
  });
});

describe('secrets that verify during a rotation', () => {
  it('identity tokens signed with the old secret verify during the grace period only', async () => {
    const now = Date.UTC(2026, 11, 1);
    const store = {
      ...(await seedAndFind('rot-d')), webhookSecret: 'new-secret-0123456789', previousWebhookSecret: SECRET, previousSecretUntil: now + 60_000,
    };
    const token = await signIdentityToken(SECRET, 7, Math.floor(now / 1000) + 3600);
    expect(await verifyIdentityToken(verifyingSecrets(store, now), token, Math.floor(now / 1000))).toMatchObject({ ok: true, wooCustomerId: 7 });
    expect(await verifyIdentityToken(verifyingSecrets(store, now + 60_000), token, Math.floor(now / 1000))).toEqual({ ok: false, reason: 'mismatch' });
  });
});

/** A connect token for a seeded store, as the dashboard's "new connect code" makes it. */
async function newToken(id: string) {
  const connectToken = `nsc_${crypto.randomUUID().replaceAll('-', '')}`;
  await replaceConnectToken(d(), id, await sha256Hex(connectToken), Date.now());
  return { connectToken };
}

async function seedAndFind(id: string) {
  await seedConnected(id);
  return (await findStore(d(), id))!;
}
