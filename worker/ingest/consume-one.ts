// The INGEST consumer's one-message path, which the per-kind batch handlers fall back to; and parking, which
// the dead-letter consumer shares. Kept apart from consumer.ts so the batch handlers need not import it back.
import type { Db } from '../db/client';
import { failDelivery, noteDeliveryError, parkFailure } from '../db/queries/deliveries';
import { AppError } from '../errors';
import { processCatalogMessage, queueDeps } from '../catalog/catalog-import';
import { processCollectMessage } from './collect/collect-processor';
import type { IngestMessage, WooDeliveryMessage } from './messages';
import { processWooMessage } from './woo/woo-processor';

const MAX_RETRY_DELAY_SECONDS = 600;

export function isIngestMessage(body: unknown): body is IngestMessage {
  if (typeof body !== 'object' || body === null) return false;
  const { kind, storeId } = body as { kind?: unknown; storeId?: unknown };
  return (kind === 'woo' || kind === 'collect' || kind === 'catalog') && typeof storeId === 'string';
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
    case 'catalog':
      return processCatalogMessage(env, queueDeps(env), message);
  }
}

function isPermanent(err: unknown): boolean {
  return err instanceof AppError || err instanceof SyntaxError;
}

/** 20 s, 40 s, 80 s … capped: the store's data settles while we wait. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 10 * 2 ** Math.max(1, attempts));
}

export async function park(d: Db, body: unknown, reason: string, at: number): Promise<void> {
  const known = isIngestMessage(body);
  await parkFailure(d, known ? body.storeId : 'unknown', known ? body.kind : 'unknown', body, at, reason);
  if (known && body.kind === 'woo' && isDeliveryEnvelope(body)) {
    const { storeId, deliveryId, topic, receivedAt } = body;
    await failDelivery(d, { storeId, deliveryId, topic, receivedAt, webhookId: body.webhookId ?? null }, reason, at);
  }
}

/** A parked message is logged as a failed delivery only when it names one; anything else stays in ingest_failures. */
function isDeliveryEnvelope(m: WooDeliveryMessage): boolean {
  return typeof m.deliveryId === 'string' && typeof m.topic === 'string' && Number.isFinite(m.receivedAt);
}
