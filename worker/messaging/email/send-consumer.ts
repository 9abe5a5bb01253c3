import { db, type Db } from '../../db/client';
import { completeMessages, failQueuedMessages, requeueMessages, takeQueuedMessages, type Message as MessageRow, type MessageOutcome } from '../../db/queries/messages';
import { findStoreSettings } from '../../db/queries/store-settings';
import { suppressContact } from '../../db/queries/suppression';
import { selectEmailChannel, type EmailChannelResult, type RenderedEmail } from '../channels';
import { toPostmarkMessage } from './postmark-client';
import { providerConfigOf } from '../provider-config';
import type { FetchLike, RetryPolicy } from '../retry';
import { isSendQueueMessage, type SendQueueMessage } from './send-queue';

/** Test seam: the provider's fetch and the client's retry policy (sleep, jitter). */
export type SendDeps = { fetch?: FetchLike; retry?: Partial<RetryPolicy>; now?: () => number };

const DEFAULT_STREAM = 'broadcast';
const MAX_RETRY_DELAY_SECONDS = 600;

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
 * Postmark batches and records each answer. Only the pointers of rows Postmark never accepted
 * (429/5xx/timeout after the client's own retries) are retried; everything else is acknowledged.
 */
export async function consumeSend(batch: MessageBatch<unknown>, env: Env, deps: SendDeps = {}): Promise<void> {
  const d = db(env.DB);
  const byStore = groupBy(pointersOf(batch), (p) => p.body.storeId);
  await Promise.all([...byStore].map(([storeId, pointers]) => consumeStore(env, d, storeId, pointers, deps)));
}

async function consumeStore(env: Env, d: Db, storeId: string, pointers: Pointer[], deps: SendDeps): Promise<void> {
  let retry: Set<string>;
  try {
    retry = await sendStoreRows(env, d, storeId, pointers.map((p) => p.body.messageId), deps);
  } catch (err) {
    console.error('SEND queue: store batch failed; will retry', { storeId, error: err instanceof Error ? err.message : String(err) });
    retry = new Set(pointers.map((p) => p.body.messageId));
  }
  for (const { message, body } of pointers) {
    if (retry.has(body.messageId)) message.retry({ delaySeconds: sendRetryDelaySeconds(message.attempts) });
    else message.ack();
  }
}

/** Sends the store's queued rows among `ids`; returns the ids to try again later. */
async function sendStoreRows(env: Env, d: Db, storeId: string, ids: string[], deps: SendDeps): Promise<Set<string>> {
  const settings = await findStoreSettings(d, storeId);
  const rows = await takeQueuedMessages(d, storeId, ids);
  if (rows.length === 0) return new Set();
  const now = deps.now ?? Date.now;
  if (!settings?.postmarkServerToken) {
    const outcome: MessageOutcome = { status: 'failed', error: 'store has no Postmark server token', retryable: true };
    await completeMessages(d, storeId, rows.map((r) => ({ id: r.id, outcome })));
    return new Set();
  }
  const retry = new Set<string>();
  for (const [stream, group] of groupBy(rows, (r) => r.messageStream ?? DEFAULT_STREAM)) {
    const channel = selectEmailChannel(
      providerConfigOf(env, settings, {
        postmarkMessageStream: stream,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.retry ? { retry: deps.retry } : {}),
      }),
    );
    for (const id of await sendGroup(d, storeId, group, (emails) => channel.sendMany(emails), stream, now)) retry.add(id);
  }
  return retry;
}

async function sendGroup(
  d: Db,
  storeId: string,
  rows: MessageRow[],
  sendMany: (emails: RenderedEmail[]) => Promise<EmailChannelResult[]>,
  stream: string,
  now: () => number,
): Promise<string[]> {
  const valid: { row: MessageRow; email: RenderedEmail }[] = [];
  const outcomes: { id: string; outcome: MessageOutcome }[] = [];
  for (const row of rows) {
    const email = emailOf(row, stream);
    if (typeof email === 'string') outcomes.push({ id: row.id, outcome: { status: 'failed', error: email } });
    else valid.push({ row, email });
  }
  let results: EmailChannelResult[] = [];
  try {
    results = valid.length ? await sendMany(valid.map((v) => v.email)) : [];
  } catch (err) {
    // Nothing reached Postmark: the rows wait in the queue again rather than stay `sending`.
    await requeueMessages(d, storeId, valid.map((v) => v.row.id), err instanceof Error ? err.message : String(err));
    throw err;
  }
  const retry: { id: string; error: string }[] = [];
  const at = now();
  for (const [i, { row }] of valid.entries()) {
    const result = results[i] ?? { status: 'failed', sendId: row.id, errorCode: null, httpStatus: null, message: 'no result', retryable: false };
    if (result.status === 'failed' && result.retryable) retry.push({ id: row.id, error: result.message });
    else outcomes.push({ id: row.id, outcome: outcomeOf(result, at) });
    // Postmark's 406: the address hard-bounced or complained before; never mail it again.
    if (result.status === 'inactive') await suppressContact(d, { storeId, contactId: row.contactId, status: 'bounced', occurredAt: at, now: at });
  }
  await completeMessages(d, storeId, outcomes);
  if (retry.length) await requeueMessages(d, storeId, retry.map((r) => r.id), retry[0]!.error);
  return retry.map((r) => r.id);
}

function outcomeOf(result: EmailChannelResult, now: number): MessageOutcome {
  switch (result.status) {
    case 'sent':
      return { status: 'sent', providerMessageId: result.messageId, sentAt: now };
    case 'inactive':
      return { status: 'inactive', error: result.message };
    case 'failed':
      return { status: 'failed', error: result.message, retryable: false };
    case 'outbox':
      return { status: 'outbox' };
  }
}

/** The email exactly as composed before it was queued, or why the stored row cannot be sent. */
function emailOf(row: MessageRow, stream: string): RenderedEmail | string {
  if (!row.fromAddress || !row.subject || !row.html || !row.listUnsubscribeUrl) return 'stored email is incomplete';
  const email: RenderedEmail = {
    sendId: row.id,
    from: row.fromAddress,
    to: row.to,
    ...(row.replyTo ? { replyTo: row.replyTo } : {}),
    subject: row.subject,
    html: row.html,
    text: row.text,
    ...(row.tag ? { tag: row.tag } : {}),
    listUnsubscribeUrl: row.listUnsubscribeUrl,
    ...(row.metadata ? { metadata: row.metadata } : {}),
  };
  try {
    toPostmarkMessage(email, stream);
    return email;
  } catch (err) {
    return `stored email is not valid for Postmark: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The SEND dead-letter consumer: a pointer that failed every retry marks its row failed and
 * retryable, with the last provider error kept, so nothing queued is silently lost.
 */
export async function failDeadSends(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const d = db(env.DB);
  for (const [storeId, pointers] of groupBy(pointersOf(batch), (p) => p.body.storeId)) {
    try {
      await failQueuedMessages(d, storeId, pointers.map((p) => p.body.messageId), 'send retries exhausted');
      for (const p of pointers) p.message.ack();
    } catch (err) {
      console.error('SEND dead letters: could not mark rows failed; will retry', err);
      for (const p of pointers) p.message.retry();
    }
  }
}
