import { Hono } from 'hono';
import { db } from '../db/client';
import { findStore } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { AppError, badRequest, notFound, unauthorized } from '../errors';
import { enqueueWooDelivery, wooDeliveryKey } from '../ingest/woo-intake';
import { decodeWooDelivery, wooResourceId } from '../ingest/woo-topics';
import { verifyWooSignature } from '../lib/hmac';

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

const tooLarge = () =>
  new AppError(413, 'payload_too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes`);

/**
 * WooCommerce deliveries: authenticated by the store's secret over the exact bytes received, logged, queued,
 * answered at once. WooCommerce never retries and disables a webhook after repeated failures, so the answer
 * must not wait on processing.
 */
export const wooWebhooks = new Hono<AppEnv>().post('/webhooks/woocommerce/:store', async (c) => {
  const receivedAt = Date.now();
  const store = await findStore(db(c.env.DB), c.req.param('store'));
  if (!store) throw notFound('Store');
  if (Number(c.req.header('content-length') ?? 0) > MAX_WEBHOOK_BODY_BYTES) throw tooLarge();
  const bytes = await readCapped(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
  if (bytes === null) throw tooLarge();

  const signature = c.req.header('x-wc-webhook-signature');
  // WooCommerce's ping (on webhook creation or URL change) is unsigned; any status but 200 shows as an error.
  if (!signature && isPing(bytes)) return c.json({ ok: true }, 200);
  if (!(await verifyWooSignature(store.webhookSecret, bytes, signature))) {
    throw unauthorized('Missing or invalid X-WC-Webhook-Signature');
  }

  const text = decodeUtf8(bytes);
  const topic = c.req.header('x-wc-webhook-topic')?.trim();
  if (!topic) throw badRequest('Missing X-WC-Webhook-Topic header');
  const delivery = decodeWooDelivery(topic, parseJson(text));
  const deliveryId = await wooDeliveryKey(c.req.header('x-wc-webhook-delivery-id'), bytes);
  const queued = await enqueueWooDelivery(c.env, db(c.env.DB), {
    storeId: store.id,
    deliveryId,
    webhookId: c.req.header('x-wc-webhook-id') ?? null,
    topic,
    resourceId: wooResourceId(delivery),
    body: text,
    bodyBytes: bytes.byteLength,
    receivedAt,
  });
  return c.json({ ok: true, delivery: deliveryId, duplicate: !queued }, 200);
});

/** Reads the body, giving up (null) as soon as it exceeds `max` bytes, whatever Content-Length claimed. */
async function readCapped(request: Request, max: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
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
