import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { AppError, unauthorized } from '../errors';
import { installPresetFlows } from '../contacts/runtime/flow-presets';
import { db } from '../db/client';
import type { Store } from '../db/queries/stores';
import { connectStore, disconnectStore, findStore, insertStore } from '../db/queries/stores';
import { base64UrlEncode } from '../lib/tokens';
import { adminAuth, bearerMatches } from '../lib/bearer-auth';
import { sha256Hex } from '../lib/hmac';
import { isValidTimeZone } from '../lib/time';
import { parseJsonBody } from '../lib/validate';

const Slug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens only');
const HttpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const Origin = HttpUrl.refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'an origin such as https://shop.example.com');
const Timezone = z.string().max(64).refine(isValidTimeZone, 'an IANA time zone such as Europe/Paris');
const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

export const CreateStoreBody = z.object({
  id: Slug,
  name: z.string().trim().min(1).max(200),
  siteUrl: HttpUrl.optional(),
  allowedOrigins: z.array(Origin).max(20).optional(),
  timezone: Timezone.optional(),
  locale: z.enum(['fr', 'en']).optional(),
  currency: Currency.optional(),
  adminEmail: z.email().max(320).optional(),
});
export type CreateStoreBody = z.infer<typeof CreateStoreBody>;

export const ConnectBody = z.object({
  webhookSecret: z.string().min(20).max(255),
  siteUrl: HttpUrl,
  pluginVersion: z.string().min(1).max(40),
  timezone: Timezone.optional(),
  currency: Currency.optional(),
});
export type ConnectBody = z.infer<typeof ConnectBody>;

function randomToken(prefix: string, bytes: number): string {
  return `${prefix}${base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)))}`;
}

/** Where the plugin bridge sends things: the origin it reached us on is by definition reachable. */
function storeUrls(c: Context<AppEnv>, store: Store) {
  const base = new URL(c.req.url).origin;
  const id = encodeURIComponent(store.id);
  return {
    store: store.id,
    siteKey: store.siteKey,
    trackerUrl: `${base}/tracker.js?store=${id}`,
    collectUrl: `${base}/collect`,
    webhookUrl: `${base}/webhooks/woocommerce/${id}`,
  };
}

function describeStore(store: Store) {
  const { webhookSecret: _secret, connectTokenHash: _hash, previousWebhookSecret: _previous, pendingWebhookSecret: _pending, ...rest } = store;
  return rest;
}

/** Store-scoped auth for the plugin bridge: Bearer <connect token>, checked against its sha256. */
async function requireConnectToken(c: Context<AppEnv>): Promise<Store> {
  const storeId = c.req.param('store') ?? '';
  const store = await findStore(db(c.env.DB), storeId);
  // Unknown store and wrong token answer alike, so the route does not reveal which stores exist.
  if (!(await bearerMatches(c.req.header('Authorization'), store?.connectTokenHash, { hashed: true })) || !store) {
    throw unauthorized('Missing or invalid connect token');
  }
  return store;
}

export const stores = new Hono<AppEnv>()
  .post('/stores', adminAuth(), async (c) => {
    const body = await parseJsonBody(c, CreateStoreBody);
    const now = Date.now();
    const connectToken = randomToken('nsc_', 32);
    const siteOrigin = body.siteUrl ? [new URL(body.siteUrl).origin] : [];
    const store = {
      id: body.id,
      name: body.name,
      siteUrl: body.siteUrl ?? null,
      // Until the plugin connects and hands over its own, nothing knows this secret.
      webhookSecret: randomToken('', 36),
      siteKey: randomToken('pk_', 18),
      connectTokenHash: await sha256Hex(connectToken),
      allowedOrigins: body.allowedOrigins?.map((o) => new URL(o).origin) ?? siteOrigin,
      timezone: body.timezone,
      locale: body.locale,
      currency: body.currency,
      adminEmail: body.adminEmail ?? null,
      createdAt: now,
      updatedAt: now,
    };
    const d = db(c.env.DB);
    if (!(await insertStore(d, store))) throw new AppError(409, 'conflict', `Store ${body.id} already exists`);
    await installPresetFlows(d, body.id, now);
    const created = await findStore(d, body.id);
    if (!created) throw new Error(`store ${body.id} vanished after insert`);
    const connectUrl = `${new URL(c.req.url).origin}/api/stores/${created.id}/connect`;
    return c.json({ store: describeStore(created), connectToken, connectUrl }, 201);
  })
  .post('/stores/:store/connect', async (c) => {
    const store = await requireConnectToken(c);
    const body = await parseJsonBody(c, ConnectBody);
    const origin = new URL(body.siteUrl).origin;
    const allowedOrigins = store.allowedOrigins.includes(origin) ? store.allowedOrigins : [...store.allowedOrigins, origin];
    const connected = await connectStore(
      db(c.env.DB),
      store.id,
      { webhookSecret: body.webhookSecret, siteUrl: body.siteUrl, allowedOrigins, timezone: body.timezone, currency: body.currency },
      Date.now(),
    );
    if (!connected) throw new Error(`store ${store.id} vanished during connect`);
    return c.json(storeUrls(c, connected));
  })
  .post('/stores/:store/disconnect', async (c) => {
    const store = await requireConnectToken(c);
    await disconnectStore(db(c.env.DB), store.id, Date.now());
    return c.json({ store: store.id, connected: false });
  });
