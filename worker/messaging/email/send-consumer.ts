import { db, type Db } from '../../db/client';
import { completeMessages, failQueuedMessages, takeQueuedMessages, type MessageOutcome } from '../../db/queries/messages';
import { isSendQueueMessage, type SendQueueMessage } from './send-queue';
import { perStream, sendGroup, type SendDeps } from './send-rows';
import { settleAfterMs, settleUnknownSends } from './settle-sends';

export type { SendDeps } from './send-rows';

const MAX_RETRY_DELAY_SECONDS = 600;
/** A pointer whose send had no answer returns just after its row may be looked up. */
const unknownRecheckSeconds = (env: Env) => settleAfterMs(env) / 1000 + 15;

/** 30 s, 60 s, 120 s … capped: Postmark throttles or is down, and the client already retried quickly. */
export function sendRetryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 30 * 2 ** Math.max(0, attempts - 1));
}

type Pointer = { message: Message<unknown>; body: SendQueueMessage };

/** A body that is not a send pointer names no row to send or mark: it is acknowledged and logged. */
function pointersOf(batch: MessageBatch<unknown>): Pointer[] {
  const pointers: Pointer[] = [];
  for (const message of batch.messages) {
    if (isSendQueueMessage(message.body)) pointers.push({ message, body: message.body });
    else {
      console.error('SEND queue: not a send pointer; acknowledged', { id: message.id, queue: batch.queue });
      message.ack();
    }
  }
  return pointers;
}

/**
 * The SEND queue consumer: per store, takes the pointed-at rows out of `queued`, sends them in
 * Postmark batches and records each answer. The pointers of rows Postmark refused for now (429/5xx
 * after the client's own retries) are retried, those of rows with no answer come back once the row
 * can be looked up (settle-sends.ts); everything else is acknowledged.
 */
export async function consumeSend(batch: MessageBatch<unknown>, env: Env, deps: SendDeps = {}): Promise<void> {
  const d = db(env.DB);
  const byStore = Map.groupBy(pointersOf(batch), (p) => p.body.storeId);
  await Promise.all([...byStore].map(([storeId, pointers]) => consumeStore(env, d, storeId, pointers, deps)));
}

async function consumeStore(env: Env, d: Db, storeId: string, pointers: Pointer[], deps: SendDeps): Promise<void> {
  let later: Map<string, number>;
  try {
    later = await sendStoreRows(env, d, storeId, pointers.map((p) => p.body.messageId), deps);
  } catch (err) {
    console.error('SEND queue: store batch failed; will retry', { storeId, error: err instanceof Error ? err.message : String(err) });
    later = new Map(pointers.map((p) => [p.body.messageId, 0]));
  }
  for (const { message, body } of pointers) {
    const delay = later.get(body.messageId);
    if (delay === undefined) message.ack();
    else message.retry({ delaySeconds: Math.max(delay, sendRetryDelaySeconds(message.attempts)) });
  }
}

/**
 * Sends the store's queued rows among `ids`, and settles those among them left `sending` with no
 * answer for settleAfterMs (this pointer's earlier delivery timed out, or its consumer died).
 * Returns the ids to deliver again later, each with its delay.
 */
async function sendStoreRows(env: Env, d: Db, storeId: string, ids: string[], deps: SendDeps): Promise<Map<string, number>> {
  const now = deps.now ?? Date.now;
  const later = new Map<string, number>();
  const settled = await settleUnknownSends(env, d, storeId, deps, ids);
  for (const id of settled.requeued) later.set(id, 0);
  // Rows a settle just handed back after a 429/5xx wait for their delayed pointer, not this call.
  const rows = await takeQueuedMessages(d, storeId, ids.filter((id) => !later.has(id)), now());
  if (rows.length === 0) return later;
  const noToken: MessageOutcome = { status: 'failed', error: 'store has no Postmark server token', retryable: true };
  await perStream(env, d, storeId, rows, deps, noToken, async (client, stream, group) => {
    const left = await sendGroup(d, storeId, group, client, stream, now());
    for (const id of left.retry) later.set(id, 0);
    // No answer: the pointer comes back once the row can be looked up, whether or not a cron runs.
    for (const id of left.unknown) later.set(id, unknownRecheckSeconds(env));
  });
  return later;
}

/**
 * The SEND dead-letter consumer: a pointer that failed every retry marks its row failed and
 * retryable, with the last provider error kept, so nothing queued is silently lost.
 */
export async function failDeadSends(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const d = db(env.DB);
  for (const [storeId, pointers] of Map.groupBy(pointersOf(batch), (p) => p.body.storeId)) {
    try {
      await failQueuedMessages(d, storeId, pointers.map((p) => p.body.messageId), 'send retries exhausted');
      for (const p of pointers) p.message.ack();
    } catch (err) {
      console.error('SEND dead letters: could not mark rows failed; will retry', err);
      for (const p of pointers) p.message.retry();
    }
  }
}
