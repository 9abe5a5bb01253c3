import { Hono } from 'hono';
import { verifyingSecrets } from '../connect/secrets';
import { db } from '../db/client';
import { recordWebhookRejection } from '../db/queries/onboarding';
import { cachedStore } from '../db/queries/store-cache';
import type { AppEnv } from '../env';
import { AppError, badRequest, unauthorized } from '../errors';
import { enqueueWooDelivery, wooDeliveryKey } from '../ingest/woo/woo-intake';
import { decodeWooDelivery } from '../ingest/woo/woo-topics';
import { verifyWooSignature } from '../lib/hmac';
import { NO_STORE_SECRET } from '../lib/no-store';
import { readBodyCapped } from '../lib/read-body';

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

const tooLarge = () =>
  new AppError(413, 'payload_too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes`);

/**
 * WooCommerce deliveries: authenticated by the store's secret over the exact bytes received, validated, queued,
 * answered at once. WooCommerce never retries and disables a webhook after repeated failures, so the answer
 * must not wait on processing.
 */
export const wooWebhooks = new Hono<AppEnv>().post('/webhooks/woocommerce/:store', async (c) => {
  const receivedAt = Date.now();
  const storeId = c.req.param('store');
  // A store created a moment ago must not stay unknown for the cache's lifetime: misses re-read D1.
  let store = (await cachedStore(c.env, { storeId })) ?? (await cachedStore(c.env, { storeId }, { fresh: true }));
  const bytes = await readBodyCapped(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
  if (bytes === null) throw tooLarge();

  const signature = c.req.header('x-wc-webhook-signature');
  // WooCommerce's ping (on webhook creation or URL change) is unsigned; any status but 200 shows as an error.
  // It is answered alike for every store id, known or not, like everything before a valid signature.
  if (!signature && isPing(bytes)) return c.json({ ok: true }, 200);
  const secretsOf = (s: typeof store) => (s ? verifyingSecrets(s, receivedAt) : [NO_STORE_SECRET]);
  if (!store || !(await verifyWooSignature(secretsOf(store), bytes, signature))) {
    // The cached row may predate a reconnect that rotated the secret: check once against D1. An unknown store is
    // checked against a stand-in secret, so it answers like a bad signature, in about the same time.
    store = store ? await cachedStore(c.env, { storeId }, { fresh: true }) : undefined;
    const valid = await verifyWooSignature(secretsOf(store), bytes, signature);
    if (!store || !valid) {
      // Counted for the owner's overview after the answer, so a known store answers as fast as an unknown one.
      if (store) c.executionCtx.waitUntil(countRejection(c.env, store.id, receivedAt));
      throw unauthorized('Missing or invalid X-WC-Webhook-Signature');
    }
  }

  const text = decodeUtf8(bytes);
  const topic = c.req.header('x-wc-webhook-topic')?.trim();
  if (!topic) throw badRequest('Missing X-WC-Webhook-Topic header');
  // Validated here so a malformed payload is refused to the sender; the consumer decodes it again to apply it.
  decodeWooDelivery(topic, parseJson(text));
  const deliveryId = await wooDeliveryKey(c.req.header('x-wc-webhook-delivery-id'), bytes);
  await enqueueWooDelivery(c.env, db(c.env.DB), {
    storeId: store.id,
    deliveryId,
    webhookId: c.req.header('x-wc-webhook-id') ?? null,
    topic,
    body: text,
    bodyBytes: bytes.byteLength,
    receivedAt,
  });
  // Whether this is a repeat is known only once the consumer has the delivery log; a repeat changes nothing.
  return c.json({ ok: true, delivery: deliveryId }, 200);
});

async function countRejection(env: Env, storeId: string, at: number): Promise<void> {
  try {
    await recordWebhookRejection(db(env.DB), storeId, at);
  } catch (err) {
    console.error('webhook rejection not counted', err);
  }
}

function isPing(bytes: Uint8Array): boolean {
  return bytes.byteLength < 64 && /^webhook_id=\d+\s*$/.test(new TextDecoder().decode(bytes));
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new AppError(400, 'invalid_json', 'Body is not UTF-8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'Body is not valid JSON');
  }
}
