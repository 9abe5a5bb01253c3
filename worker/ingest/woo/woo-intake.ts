import type { Db } from '../../db/client';
import { storePayload } from '../../db/queries/deliveries';
import { toHex } from '../../lib/hmac';
import { MAX_INLINE_BODY_BYTES, type WooDeliveryMessage } from '../messages';

export type WooIntake = {
  storeId: string;
  deliveryId: string;
  webhookId: string | null;
  topic: string;
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
 * Queues the delivery; the queue send is what makes an accepted delivery durable. The delivery log is written by
 * the consumer (`woo-processor.ts`), which skips a delivery already finished: keeping that D1 write off the
 * request path is most of what lets the route answer in milliseconds under load (bench). Large bodies wait in D1
 * and the message carries their id.
 */
export async function enqueueWooDelivery(env: Env, d: Db, intake: WooIntake): Promise<void> {
  const { storeId, deliveryId, receivedAt } = intake;
  let body: WooDeliveryMessage['body'] = { inline: intake.body };
  if (intake.bodyBytes > MAX_INLINE_BODY_BYTES) {
    const payloadId = `${storeId}:${deliveryId}`;
    await storePayload(d, payloadId, storeId, intake.body, receivedAt);
    body = { payloadId };
  }
  const message: WooDeliveryMessage = {
    kind: 'woo',
    storeId,
    deliveryId,
    webhookId: intake.webhookId,
    topic: intake.topic,
    receivedAt,
    body,
  };
  await env.INGEST.send(message, { contentType: 'json' });
}
