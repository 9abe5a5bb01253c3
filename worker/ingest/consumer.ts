import { db, type Db } from '../db/client';
import { failDelivery, noteDeliveryError, parkFailure } from '../db/queries/deliveries';
import { AppError } from '../errors';
import { consumeSend, failDeadSends } from '../messaging/email/send-consumer';
import { SEND_DEAD_LETTER_QUEUE, SEND_QUEUE } from '../messaging/email/send-queue';
import { processCollectMessage } from './collect-processor';
import { consumeCollectBatch } from './collect-batch';
import type { CollectMessage, IngestMessage, WooDeliveryMessage } from './messages';
import { consumeWooBatch } from './woo-batch';
import { processWooMessage } from './woo-processor';

export const INGEST_QUEUE = 'nightshift-ingest';
export const INGEST_DEAD_LETTER_QUEUE = 'nightshift-ingest-dlq';

const MAX_RETRY_DELAY_SECONDS = 600;

/** The `queue` handler of the worker: every queue of wrangler.toml lands here. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case INGEST_QUEUE:
      return consumeIngest(batch, env);
    case INGEST_DEAD_LETTER_QUEUE:
      return parkDeadLetters(batch, env);
    case SEND_QUEUE:
      return consumeSend(batch, env);
    case SEND_DEAD_LETTER_QUEUE:
      return failDeadSends(batch, env);
    default:
      throw new Error(`no consumer for queue ${batch.queue}`);
  }
}

export function isIngestMessage(body: unknown): body is IngestMessage {
  if (typeof body !== 'object' || body === null) return false;
  const { kind, storeId } = body as { kind?: unknown; storeId?: unknown };
  return (kind === 'woo' || kind === 'collect') && typeof storeId === 'string';
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

/** The one-message path: processes, acknowledges, and on failure parks or schedules a retry. */
export async function consumeOne(env: Env, d: Db, message: Message<unknown>): Promise<void> {
  const body = message.body;
  try {
    if (!isIngestMessage(body)) throw new AppError(400, 'bad_request', 'not an ingest message');
    await dispatch(env, body);
    message.ack();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    try {
      if (isPermanent(err)) {
        // Retrying cannot fix a payload that does not parse: park it at once, visibly.
        await park(d, body, reason, Date.now());
        message.ack();
        return;
      }
      console.error('ingest message failed; will retry', { id: message.id, attempts: message.attempts, reason });
      if (isIngestMessage(body) && body.kind === 'woo') await noteDeliveryError(d, body.storeId, body.deliveryId, reason);
    } catch (bookkeeping) {
      console.error('ingest bookkeeping failed', bookkeeping);
    }
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

async function dispatch(env: Env, message: IngestMessage): Promise<void> {
  switch (message.kind) {
    case 'woo':
      return processWooMessage(env, message);
    case 'collect':
      return processCollectMessage(env, message);
  }
}

function isPermanent(err: unknown): boolean {
  return err instanceof AppError || err instanceof SyntaxError;
}

/** 20 s, 40 s, 80 s … capped: the store's data settles while we wait. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 10 * 2 ** Math.max(1, attempts));
}

/** Messages that exhausted their retries: parked in D1, the delivery marked failed, nothing dropped. */
export async function parkDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const d = db(env.DB);
  for (const message of batch.messages) {
    try {
      await park(d, message.body, 'retries exhausted', Date.now());
      message.ack();
    } catch (err) {
      console.error('could not park a dead letter; will retry', err);
      message.retry();
    }
  }
}

async function park(d: Db, body: unknown, reason: string, at: number): Promise<void> {
  const known = isIngestMessage(body);
  await parkFailure(d, known ? body.storeId : 'unknown', known ? body.kind : 'unknown', body, at);
  if (known && body.kind === 'woo' && isDeliveryEnvelope(body)) {
    const { storeId, deliveryId, topic, receivedAt } = body;
    await failDelivery(d, { storeId, deliveryId, topic, receivedAt, webhookId: body.webhookId ?? null }, reason, at);
  }
}

/** A parked message is logged as a failed delivery only when it names one; anything else stays in ingest_failures. */
function isDeliveryEnvelope(m: WooDeliveryMessage): boolean {
  return typeof m.deliveryId === 'string' && typeof m.topic === 'string' && Number.isFinite(m.receivedAt);
}
