import { db, type Db } from '../../db/client';
import { coalescedD1 } from '../../db/coalesced-d1';
import { recordJourneyLog } from '../../db/queries/enrollments';
import { findMessage } from '../../db/queries/messages';
import { findStore, type Store } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { messageIdFor } from '../../messaging/email/deliver';
import { consumeSend, failDeadSends, sendRetryDelaySeconds } from '../../messaging/email/send-consumer';
import type { SendQueueMessage } from '../../messaging/email/send-queue';
import { contactAgentName } from '../domain-events';
import { executeJourneyLog } from '../executors/journey-log';
import { executeSendEmail } from '../executors/send-email';
import { currentContact, type ExecutorContext } from '../executors/types';
import { logOutcome } from '../runtime/journey-outbox';
import { isSendIntent, type SendIntent } from './send-intent';

/** An intent that failed every retry comes back to its agent's outbox this much later, rather than being lost. */
const DEAD_INTENT_RETRY_MS = 60 * 60_000;

type Stage = { env: Env; d: Db; stores: Map<string, Promise<Store | undefined>>; shared: Map<string, Promise<unknown>>; pointers: SendQueueMessage[]; now: () => number };

/** The SEND binding the executor sees in the stage: pointers of the rows it claims leave together, in one sendBatch. */
function gatheringQueue(into: SendQueueMessage[]): Queue {
  return { send: async (body: SendQueueMessage) => void into.push(body) } as unknown as Queue;
}

/** A batch made of some of another batch's messages, for the pointer consumer. */
function subBatch<T>(batch: MessageBatch<unknown>, messages: Message<T>[]): MessageBatch<T> {
  return { queue: batch.queue, metadata: batch.metadata, messages, ackAll: () => messages.forEach((m) => m.ack()), retryAll: (o) => messages.forEach((m) => m.retry(o)) };
}

function split(batch: MessageBatch<unknown>): { intents: Message<SendIntent>[]; rest: Message<unknown>[] } {
  const intents = batch.messages.filter((m): m is Message<SendIntent> => isSendIntent(m.body));
  return { intents, rest: batch.messages.filter((m) => !isSendIntent(m.body)) };
}

/** The SEND queue carries agents' send intents and pointers to claimed rows; each kind goes to its consumer. */
export async function consumeSendQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { intents, rest } = split(batch);
  await Promise.all([consumeSendIntents(env, intents), rest.length > 0 ? consumeSend(subBatch(batch, rest), env) : undefined]);
}

/**
 * The batched send stage: for every intent of the batch, the same guardrails, rendering and row claim a
 * ContactAgent ran alone (executeSendEmail, unchanged), all at once on one coalescing D1 binding, so each
 * step costs one round trip for the whole batch instead of one per send. A contact's own intents run in
 * order: the second sees the first's row, as caps and one-flow-per-day need. The claimed rows' pointers
 * leave in one sendBatch; if that fails, every intent is retried and finds its row already claimed.
 */
export async function consumeSendIntents(env: Env, messages: Message<SendIntent>[], now: () => number = Date.now): Promise<void> {
  if (messages.length === 0) return;
  const pointers: SendQueueMessage[] = [];
  const DB = coalescedD1(env.DB);
  const stage: Stage = { env: { ...env, DB, SEND: gatheringQueue(pointers) }, d: db(DB), stores: new Map(), shared: new Map(), pointers, now };
  const retry = new Set<Message<SendIntent>>();
  const byContact = Map.groupBy(messages, (m) => `${m.body.storeId}\n${m.body.contactId}`);
  await Promise.all(
    [...byContact.values()].map(async (group) => {
      for (const m of group) if (!(await settleIntent(stage, m.body))) retry.add(m);
    }),
  );
  try {
    if (pointers.length > 0) await env.SEND.sendBatch(pointers.map((body) => ({ body, contentType: 'json' as const })));
  } catch (err) {
    console.error('SEND stage: pointers not queued; intents will retry', err);
    for (const m of messages) m.retry({ delaySeconds: sendRetryDelaySeconds(m.attempts) });
    return;
  }
  for (const m of messages) {
    if (retry.has(m)) m.retry({ delaySeconds: sendRetryDelaySeconds(m.attempts) });
    else m.ack();
  }
}

/** Runs an intent's emails to their end (queued, skipped, deferred back to the agent), in order; false to retry. */
async function settleIntent(stage: Stage, intent: SendIntent): Promise<boolean> {
  try {
    const [store, contact] = await Promise.all([storeOf(stage, intent.storeId), currentContact(stage, intent.storeId, intent.contactId)]);
    if (!store || !contact) return true;
    const ctx = (): ExecutorContext => ({ env: stage.env, d: stage.d, store, contact, now: stage.now(), shared: stage.shared });
    // Written as the agent would have written them, each entry once; alongside the emails' own reads, in the same round
    // trips (nothing the guardrails read is written here).
    const logs = (async () => {
      for (const log of intent.logs ?? []) await executeJourneyLog(ctx(), log);
    })();
    const emails = (async () => {
      for (const action of intent.actions) await settleAction(stage, intent, ctx(), action);
    })();
    // Both run to their end before the intent is settled or retried: no work of it goes on behind a retry.
    const failed = (await Promise.allSettled([logs, emails])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return true;
  } catch (err) {
    console.error('SEND stage: intent failed; will retry', { contact: intent.contactId, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

async function settleAction(stage: Stage, intent: SendIntent, ctx: ExecutorContext, action: SendEmailAction): Promise<void> {
  const existing = await findMessage(ctx.d, ctx.store.id, await messageIdFor(ctx.store.id, action.idempotencyKey));
  // A redelivered intent whose row exists decides nothing again: at most its pointer is sent once more.
  if (existing && !(existing.status === 'failed' && existing.retryable)) {
    if (existing.status === 'queued') stage.pointers.push({ storeId: existing.storeId, messageId: existing.id });
    return;
  }
  const outcome = await executeSendEmail(ctx, action);
  if (outcome.status !== 'done') await logOutcome(ctx, action, outcome);
  if (outcome.status === 'deferred') await agentOf(stage.env, intent).deferSend(action, outcome.until, intent.at);
}

function storeOf(stage: Stage, storeId: string): Promise<Store | undefined> {
  let store = stage.stores.get(storeId);
  if (!store) stage.stores.set(storeId, (store = findStore(stage.d, storeId)));
  return store;
}

function agentOf(env: Env, intent: SendIntent) {
  return env.CONTACT_AGENT.getByName(contactAgentName(intent.storeId, intent.contactId));
}

/**
 * The SEND dead-letter queue: an intent that failed every retry goes back to its agent's outbox for a later
 * try (nothing decided is lost), its journey log entries written first; pointers are marked failed as before.
 */
export async function failDeadSendQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { intents, rest } = split(batch);
  const d = db(env.DB);
  for (const m of intents) {
    try {
      const { storeId, contactId, logs = [] } = m.body;
      for (const { type: _t, ...entry } of logs) await recordJourneyLog(d, { ...entry, storeId, contactId }, Date.now());
      for (const action of m.body.actions) await agentOf(env, m.body).deferSend(action, Date.now() + DEAD_INTENT_RETRY_MS, m.body.at);
      m.ack();
    } catch (err) {
      console.error('SEND dead letters: intent not handed back; will retry', err);
      m.retry();
    }
  }
  if (rest.length > 0) await failDeadSends(subBatch(batch, rest), env);
}
