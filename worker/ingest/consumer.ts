import { db, type Db } from '../db/client';
import { findDelivery } from '../db/queries/deliveries';
import { consumeSendQueue, failDeadSendQueue } from '../contacts/send-stage/intent-consumer';
import { SEND_DEAD_LETTER_QUEUE, SEND_QUEUE } from '../messaging/email/send-queue';
import { consumeCollectBatch } from './collect/collect-batch';
import { consumeOne, isIngestMessage, park } from './consume-one';
import type { CollectMessage, WooDeliveryMessage } from './messages';
import { consumeWooBatch } from './woo/woo-batch';

export const INGEST_QUEUE = 'nightshift-ingest';
export const INGEST_DEAD_LETTER_QUEUE = 'nightshift-ingest-dlq';

/** The `queue` handler of the worker: every queue of wrangler.toml lands here. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case INGEST_QUEUE:
      return consumeIngest(batch, env);
    case INGEST_DEAD_LETTER_QUEUE:
      return parkDeadLetters(batch, env);
    case SEND_QUEUE:
      return consumeSendQueue(batch, env);
    case SEND_DEAD_LETTER_QUEUE:
      return failDeadSendQueue(batch, env);
    default:
      throw new Error(`no consumer for queue ${batch.queue}`);
  }
}

/**
 * Each message is acknowledged or retried on its own, so one bad delivery never holds back the rest. Messages of
 * each kind go to that kind's batch handler, which may share D1 round trips across the batch.
 */
export async function consumeIngest(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const d = db(env.DB);
  const collect: Message<CollectMessage>[] = [];
  const woo: Message<WooDeliveryMessage>[] = [];
  const other: Message<unknown>[] = [];
  for (const message of batch.messages) {
    const body = message.body;
    if (isIngestMessage(body) && body.kind === 'collect') collect.push(message as Message<CollectMessage>);
    else if (isIngestMessage(body) && body.kind === 'woo') woo.push(message as Message<WooDeliveryMessage>);
    else other.push(message);
  }
  await Promise.all([
    consumeCollectBatch(env, d, collect),
    consumeWooBatch(env, d, woo),
    ...other.map((message) => consumeOne(env, d, message)),
  ]);
}

/** Messages that exhausted their retries: parked in D1, the delivery marked failed, nothing dropped. */
export async function parkDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const d = db(env.DB);
  for (const message of batch.messages) {
    try {
      await park(d, message.body, await deadLetterReason(d, message.body), Date.now());
      message.ack();
    } catch (err) {
      console.error('could not park a dead letter; will retry', err);
      message.retry();
    }
  }
}

/** The last error a WooCommerce delivery met (noted on each failed attempt) tells the admin why it was parked. */
async function deadLetterReason(d: Db, body: unknown): Promise<string> {
  if (!isIngestMessage(body) || body.kind !== 'woo' || typeof body.deliveryId !== 'string') return 'retries exhausted';
  const last = (await findDelivery(d, body.storeId, body.deliveryId))?.error;
  return last ? `retries exhausted: ${last}` : 'retries exhausted';
}
