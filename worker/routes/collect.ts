import { Hono, type Context } from 'hono';
import { verifyingSecrets } from '../connect/secrets';
import type { AppEnv } from '../env';
import { AppError, badRequest, notFound, unauthorized, validationError } from '../errors';
import { db } from '../db/client';
import { findStore, type Store } from '../db/queries/stores';
import { cachedStore } from '../db/queries/store-cache';
import { BeaconBatch, MAX_COLLECT_BODY_BYTES, SERVER_ONLY_EVENTS } from '../ingest/collect/beacon';
import type { CollectMessage } from '../ingest/messages';
import { hmacSha256, SIGNATURE_HEADER, toHex, verifyNightshiftSignature } from '../lib/hmac';
import { LocalAllowance } from '../lib/local-allowance';
import { NO_STORE_SECRET } from '../lib/no-store';
import { readBodyCapped } from '../lib/read-body';

/** Batches per key and minute that never reach the shared limiter (see lib/local-allowance.ts). */
export const LOCAL_FREE_BATCHES = 10;

/**
 * `POST /collect`: storefront beacons (site key + allowed Origin) and signed plugin-bridge batches. Validates,
 * rate-limits, queues and answers 204; the work happens in `ingest/collect/collect-processor.ts`.
 */
export const collect = new Hono<AppEnv>()
  .options('/collect', async (c) => {
    const origin = c.req.header('Origin');
    const store = await storeForBrowser(c.env, c.req.query('k'), c.req.query('store'));
    if (!origin || !store || !store.allowedOrigins.includes(origin)) {
      throw new AppError(403, 'forbidden', 'Origin not allowed for this store');
    }
    setCors(c, origin);
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  })
  .post('/collect', async (c) => {
    const receivedAt = Date.now();
    checkContentType(c.req.header('Content-Type'));
    const raw = await readBodyLimited(c.req.raw, MAX_COLLECT_BODY_BYTES);
    const json = parseJson(raw);
    const signature = c.req.header(SIGNATURE_HEADER);
    const { store, trusted } = signature
      ? await signedStore(c, json, raw, signature, receivedAt)
      : await browserStore(c, json);

    const parsed = BeaconBatch.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error);
    const batch = parsed.data;
    if (!trusted && batch.events.some((e) => SERVER_ONLY_EVENTS.has(e.type))) {
      throw new AppError(403, 'forbidden', 'Only a signed batch may report an order');
    }
    // A store in consent-pending mode records nothing from a browser until the shopper has agreed.
    if (store.consentPending && !trusted && batch.consent !== true) return c.body(null, 204);
    const ip = c.req.header('CF-Connecting-IP') ?? null;
    const ipHash = ip ? await keyedIpHash(store.webhookSecret, ip) : null;
    await enforceRateLimit(c.env, store.id, batch.visitorId, trusted ? null : ipHash);

    const message: CollectMessage = {
      kind: 'collect',
      storeId: store.id,
      trusted,
      visitorId: batch.visitorId,
      receivedAt,
      ipHash,
      userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
      geoTimezone: trusted ? null : edgeTimezone(c.req.raw),
      events: batch.events,
    };
    await c.env.INGEST.send(message);
    return c.body(null, 204);
  });

/** The edge's geolocation of the visitor (absent under local dev and in tests without `cf`). */
function edgeTimezone(request: Request): string | null {
  const tz = (request.cf as { timezone?: unknown } | undefined)?.timezone;
  return typeof tz === 'string' && tz.length <= 64 ? tz : null;
}

function setCors(c: Context<AppEnv>, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
}

/** sendBeacon sends text/plain (no preflight); scripts and servers send JSON. */
function checkContentType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json' || type === 'text/plain') return;
  throw new AppError(415, 'unsupported_media_type', 'Send application/json or text/plain');
}

async function readBodyLimited(req: Request, limit: number): Promise<string> {
  const bytes = await readBodyCapped(req, limit);
  if (bytes === null) throw new AppError(413, 'payload_too_large', `Body exceeds ${limit} bytes`);
  return new TextDecoder().decode(bytes);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(400, 'invalid_json', 'Body is not valid JSON');
  }
}

function field(json: unknown, name: string): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const value = (json as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

async function signedStore(c: Context<AppEnv>, json: unknown, raw: string, header: string, now: number) {
  const storeId = field(json, 'store');
  if (!storeId) throw badRequest('A signed batch names its store in "store"');
  const store = await findStore(db(c.env.DB), storeId);
  // An unknown store is checked against a stand-in secret: the answer is that of a wrong signature.
  const secrets = store ? verifyingSecrets(store, now) : [NO_STORE_SECRET];
  const check = await verifyNightshiftSignature(secrets, raw, header, Math.floor(now / 1000));
  if (!store || check !== 'ok') throw unauthorized(`Signature ${check === 'ok' ? 'mismatch' : check}`);
  return { store, trusted: true };
}

async function browserStore(c: Context<AppEnv>, json: unknown): Promise<{ store: Store; trusted: boolean }> {
  const siteKey = field(json, 'siteKey') ?? c.req.query('k');
  const storeId = field(json, 'store') ?? c.req.query('store');
  if (!siteKey && !storeId) throw badRequest('siteKey is required');
  const store = await storeForBrowser(c.env, siteKey, storeId);
  if (!store) throw notFound('Store');
  const origin = c.req.header('Origin');
  if (!origin || !store.allowedOrigins.includes(origin)) {
    throw new AppError(403, 'forbidden', 'Origin not allowed for this store');
  }
  // From here on, errors are readable by the page that sent the beacon.
  setCors(c, origin);
  return { store, trusted: false };
}

async function storeForBrowser(env: Env, siteKey: string | undefined, storeId: string | undefined) {
  if (siteKey) return cachedStore(env, { siteKey });
  return storeId ? cachedStore(env, { storeId }) : undefined;
}

/** The IP only ever leaves this function as a keyed hash: usable as consent proof, useless as an address. */
async function keyedIpHash(secret: string, ip: string): Promise<string> {
  return toHex(await hmacSha256(secret, `ip.${ip}`));
}

/** The limiter's window is 60 s; a key's first batches of each window are counted in the isolate only. */
const allowance = new LocalAllowance(LOCAL_FREE_BATCHES, 60_000);

/**
 * One limiter call per batch, keyed by the sender's IP. The visitor id is chosen by the client, so a per-visitor
 * key bounds nothing a flood cannot sidestep by rotating ids, while a second call on every beacon cost throughput
 * (bench). Without an IP (and for signed batches, which all come from the shop's own server) the visitor id is
 * the key, so one visitor still cannot flood.
 */
async function enforceRateLimit(env: Env, storeId: string, visitorId: string, ipHash: string | null): Promise<void> {
  const key = ipHash ? `ip:${storeId}:${ipHash}` : `v:${storeId}:${visitorId}`;
  if (allowance.take(key, Date.now())) return;
  const { success } = await env.COLLECT_LIMITER.limit({ key });
  if (!success) throw new AppError(429, 'rate_limited', 'Too many events; slow down');
}
