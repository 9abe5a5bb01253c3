import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import { findStoreSettings } from '../db/queries/store-settings';
import { findStore } from '../db/queries/stores';
import { ingestPostmarkEvent } from '../deliverability/ingest-postmark';
import { POSTMARK_RECORD_TYPES, PostmarkEvent } from '../deliverability/postmark-events';
import type { AppEnv } from '../env';
import { AppError, unauthorized, validationError } from '../errors';
import { sha256Hex, timingSafeEqualText } from '../lib/hmac';
import { NO_STORE_SECRET } from '../lib/no-store';

export const MAX_POSTMARK_BODY_BYTES = 256 * 1024;

const Envelope = z.object({ RecordType: z.string() });

/** `Authorization: Basic base64(user:password)` → its parts, or null. */
export function readBasicAuth(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(match[1]), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Both parts are compared as sha256 hex in constant time, and both always are, so neither a wrong
 * user nor a wrong password answers faster. A store without credentials (or an unknown store) is
 * compared against stand-ins, costs the same, and accepts nobody.
 */
async function basicAuthMatches(header: string | undefined, user: string | null | undefined, passwordHash: string | null | undefined): Promise<boolean> {
  const presented = readBasicAuth(header);
  const configured = !!user && !!passwordHash;
  const [userOk, passwordOk] = await Promise.all([
    Promise.all([sha256Hex(presented?.user ?? ''), sha256Hex(user || NO_STORE_SECRET)]).then(([a, b]) => timingSafeEqualText(a, b)),
    sha256Hex(presented?.password ?? '').then((h) => timingSafeEqualText(h, (passwordHash || NO_STORE_SECRET).toLowerCase())),
  ]);
  return configured && presented !== null && userOk && passwordOk;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'Body must be JSON');
  }
}

/**
 * Postmark's outbound webhooks (one event per request). Processed inline: the work is a few D1 writes,
 * and a non-2xx answer makes Postmark retry with the same trace id, which the dedupe turns into a no-op.
 * Record types we do not handle are acknowledged (200) so Postmark does not retry them forever.
 */
export const postmarkWebhooks = new Hono<AppEnv>().post('/webhooks/postmark/:store', async (c) => {
  const now = Date.now();
  const d = db(c.env.DB);
  const storeId = c.req.param('store');
  // An unknown store answers exactly like wrong credentials: store ids cannot be enumerated.
  const [store, settings] = await Promise.all([findStore(d, storeId), findStoreSettings(d, storeId)]);
  const matches = await basicAuthMatches(c.req.header('Authorization'), settings?.postmarkWebhookUser, settings?.postmarkWebhookPasswordHash);
  if (!store || !matches) {
    c.header('WWW-Authenticate', 'Basic realm="nightshift-postmark", charset="UTF-8"');
    throw unauthorized();
  }
  if (Number(c.req.header('content-length') ?? 0) > MAX_POSTMARK_BODY_BYTES) throw new AppError(413, 'payload_too_large', 'Body too large');
  const text = await c.req.text();
  if (text.length > MAX_POSTMARK_BODY_BYTES) throw new AppError(413, 'payload_too_large', 'Body too large');
  const body = parseBody(text);
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw validationError(envelope.error);
  if (!(POSTMARK_RECORD_TYPES as readonly string[]).includes(envelope.data.RecordType)) {
    console.log(`postmark webhook for ${storeId}: ignored RecordType ${envelope.data.RecordType}`);
    return c.json({ ok: true, ignored: true }, 200);
  }
  const parsed = PostmarkEvent.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const traceId = c.req.header('X-PM-Webhook-Trace-Id')?.trim() || undefined;
  const outcome = await ingestPostmarkEvent(c.env, d, storeId, parsed.data, traceId, now);
  return c.json({ ok: true, duplicate: !outcome.stored, kind: outcome.kind }, 200);
});
