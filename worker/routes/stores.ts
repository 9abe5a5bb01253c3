import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { unauthorized } from '../errors';
import { queueDeps, startCatalogRun } from '../catalog/catalog-import';
import { encodeConnectCode } from '../connect/connect-code';
import { createStore } from '../connect/create-store';
import { offerWcAuth } from '../connect/wc-auth';
import { db } from '../db/client';
import { findStoreSettings } from '../db/queries/store-settings';
import type { Store } from '../db/queries/stores';
import { connectStore, disconnectStore, findStore } from '../db/queries/stores';
import { adminAuth, bearerMatches } from '../lib/bearer-auth';
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

/**
 * With REST keys already stored (a reconnect), the catalogue import starts now; without, the plugin sends the owner
 * through WooCommerce's app authorization, whose callback stores the keys and starts it.
 */
async function afterConnect(c: Context<AppEnv>, store: Store) {
  const d = db(c.env.DB);
  const now = Date.now();
  const settings = await findStoreSettings(d, store.id);
  if (settings?.wooConsumerKey && settings.wooConsumerSecret) {
    const run = await startCatalogRun(c.env, queueDeps(c.env), store.id, 'connect', now);
    return { wooKeys: true, wcAuth: null, catalogRun: run.runId };
  }
  return { wooKeys: false, wcAuth: await offerWcAuth(d, store.id, new URL(c.req.url).origin, now), catalogRun: null };
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
    const { store, connectToken } = await createStore(db(c.env.DB), body, Date.now());
    const origin = new URL(c.req.url).origin;
    const connectUrl = `${origin}/api/stores/${store.id}/connect`;
    const connectCode = encodeConnectCode({ workerUrl: origin, storeId: store.id, connectToken });
    return c.json({ store: describeStore(store), connectToken, connectUrl, connectCode }, 201);
  })
  .post('/stores/:store/connect', async (c) => {
    const store = await requireConnectToken(c);
    const body = await parseJsonBody(c, ConnectBody);
    const origin = new URL(body.siteUrl).origin;
    const allowedOrigins = store.allowedOrigins.includes(origin) ? store.allowedOrigins : [...store.allowedOrigins, origin];
    const connected = await connectStore(
      db(c.env.DB),
      store.id,
      // The secret the plugin hands over settles any rotation left unconfirmed: its pending secret stops verifying.
      { webhookSecret: body.webhookSecret, siteUrl: body.siteUrl, allowedOrigins, timezone: body.timezone, currency: body.currency, pendingWebhookSecret: null },
      Date.now(),
    );
    if (!connected) throw new Error(`store ${store.id} vanished during connect`);
    return c.json({ ...storeUrls(c, connected), ...(await afterConnect(c, connected)) });
  })
  .post('/stores/:store/disconnect', async (c) => {
    const store = await requireConnectToken(c);
    await disconnectStore(db(c.env.DB), store.id, Date.now());
    return c.json({ store: store.id, connected: false });
  });
