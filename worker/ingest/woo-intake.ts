import type { Db } from '../db/client';
import { recordDelivery, requeueDelivery, storePayload } from '../db/queries/deliveries';
import { toHex } from '../lib/hmac';
import { MAX_INLINE_BODY_BYTES, type WooDeliveryMessage } from './messages';

export type WooIntake = {
  storeId: string;
  deliveryId: string;
  webhookId: string | null;
  topic: string;
  resourceId: string | null;
  body: string;
  bodyBytes: number;
  receivedAt: number;
};

/**
 * WooCommerce derives X-WC-Webhook-Delivery-ID from the webhook id and the current second, so two different
 * payloads of one webhook can share it (the fixtures' three product.created deliveries do). The body's hash
 * makes the key name exactly one payload; the same bytes sent again get the same key.
 */
export async function wooDeliveryKey(deliveryHeader: string | undefined, body: Uint8Array): Promise<string> {
  const digest = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', body))).slice(0, 16);
  const header = deliveryHeader?.trim() ?? '';
  return /^[A-Za-z0-9_-]{1,64}$/.test(header) ? `${header}.${digest}` : digest;
}

/**
 * Logs the delivery and queues it. A delivery already processed is not queued again; one that was parked is.
 * Large bodies wait in D1 and the message carries their id. Returns false for a duplicate.
 */
export async function enqueueWooDelivery(env: Env, d: Db, intake: WooIntake): Promise<boolean> {
  const { storeId, deliveryId } = intake;
  const existing = await recordDelivery(d, {
    storeId,
    deliveryId,
    webhookId: intake.webhookId,
    topic: intake.topic,
    resourceId: intake.resourceId,
    status: 'queued',
    receivedAt: intake.receivedAt,
  });
  if (existing?.status === 'processed' || existing?.status === 'stale') return false;
  if (existing?.status === 'failed') await requeueDelivery(d, storeId, deliveryId);
  // A repeated delivery keeps its first arrival time, so its message, and all it writes, are the same again.
  const receivedAt = existing?.receivedAt ?? intake.receivedAt;
  let body: WooDeliveryMessage['body'] = { inline: intake.body };
  if (intake.bodyBytes > MAX_INLINE_BODY_BYTES) {
    const payloadId = `${storeId}:${deliveryId}`;
    await storePayload(d, payloadId, storeId, intake.body, receivedAt);
    body = { payloadId };
  }
  const message: WooDeliveryMessage = { kind: 'woo', storeId, deliveryId, topic: intake.topic, receivedAt, body };
  await env.INGEST.send(message, { contentType: 'json' });
  return true;
}
