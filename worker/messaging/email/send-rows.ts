import type { Db } from '../../db/client';
import { completeMessages, requeueMessages, type Message as MessageRow, type MessageOutcome } from '../../db/queries/messages';
import { findStoreSettings, type StoreSettings } from '../../db/queries/store-settings';
import { suppressContact } from '../../db/queries/suppression';
import { noteUnknownOutcome } from '../../db/queries/unsettled-sends';
import type { RenderedEmail } from '../channels';
import { providerConfigOf } from '../provider-config';
import type { FetchLike, RetryPolicy } from '../retry';
import { createPostmarkClient, toPostmarkMessage, type EmailSendResult, type PostmarkClient } from './postmark-client';

/** Test seam: the provider's fetch and the client's retry policy (sleep, jitter), and the clock. */
export type SendDeps = { fetch?: FetchLike; retry?: Partial<RetryPolicy>; now?: () => number };

export const DEFAULT_STREAM = 'broadcast';

/** The store's Postmark client on one stream, pointed where the deployment says (fakes in e2e and bench). */
export function postmarkClientFor(env: Env, settings: StoreSettings & { postmarkServerToken: string }, stream: string, deps: SendDeps): PostmarkClient {
  const config = providerConfigOf(env, settings);
  return createPostmarkClient({
    serverToken: settings.postmarkServerToken,
    messageStream: stream,
    ...(config.postmarkBaseUrl ? { baseUrl: config.postmarkBaseUrl } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
}

/**
 * Runs `fn` once per message stream of `rows` with the store's Postmark client for it; a store
 * without a token records `noToken` on every row instead.
 */
export async function perStream(
  env: Env,
  d: Db,
  storeId: string,
  rows: MessageRow[],
  deps: SendDeps,
  noToken: MessageOutcome,
  fn: (client: PostmarkClient, stream: string, group: MessageRow[]) => Promise<void>,
): Promise<void> {
  const settings = await findStoreSettings(d, storeId);
  const token = settings?.postmarkServerToken;
  if (!settings || !token) {
    await completeMessages(d, storeId, rows.map((r) => ({ id: r.id, outcome: noToken })));
    return;
  }
  for (const [stream, group] of Map.groupBy(rows, (r) => r.messageStream ?? DEFAULT_STREAM)) {
    await fn(postmarkClientFor(env, { ...settings, postmarkServerToken: token }, stream, deps), stream, group);
  }
}

/** What a group send leaves to do: rows Postmark refused for now (429/5xx), rows with no answer. */
export type GroupLeft = { retry: string[]; unknown: string[] };

/**
 * Sends rows already `sending` in one Postmark batch call per 500 and records every answer. A row
 * with no answer (timeout) stays `sending` with the reason: it is settled by outbound search later,
 * never resent blindly. Rows Postmark refused (429/5xx) go back to `queued`.
 */
export async function sendGroup(d: Db, storeId: string, rows: MessageRow[], client: PostmarkClient, stream: string, at: number): Promise<GroupLeft> {
  const valid: { row: MessageRow; email: RenderedEmail }[] = [];
  const outcomes: { id: string; outcome: MessageOutcome }[] = [];
  for (const row of rows) {
    const email = emailOf(row, stream);
    if (typeof email === 'string') outcomes.push({ id: row.id, outcome: { status: 'failed', error: email } });
    else valid.push({ row, email });
  }
  let results: EmailSendResult[] = [];
  try {
    results = valid.length ? await client.sendBatch(valid.map((v) => v.email)) : [];
  } catch (err) {
    // Nothing reached Postmark: the rows wait in the queue again rather than stay `sending`.
    await requeueMessages(d, storeId, valid.map((v) => v.row.id), err instanceof Error ? err.message : String(err));
    throw err;
  }
  const retry: { id: string; error: string }[] = [];
  const unknown: { id: string; error: string }[] = [];
  for (const [i, { row }] of valid.entries()) {
    const result = results[i] ?? { status: 'failed', sendId: row.id, errorCode: null, httpStatus: null, message: 'no result', retryable: false };
    if (result.status === 'unknown') unknown.push({ id: row.id, error: result.message });
    else if (result.status === 'failed' && result.retryable) retry.push({ id: row.id, error: result.message });
    else outcomes.push({ id: row.id, outcome: outcomeOf(result, at) });
    // Postmark's 406: the address hard-bounced or complained before; never mail it again.
    if (result.status === 'inactive') await suppressContact(d, { storeId, contactId: row.contactId, status: 'bounced', occurredAt: at, now: at });
  }
  await completeMessages(d, storeId, outcomes);
  if (retry.length) await requeueMessages(d, storeId, retry.map((r) => r.id), retry[0]!.error);
  if (unknown.length) await noteUnknownOutcome(d, storeId, unknown.map((r) => r.id), unknown[0]!.error);
  return { retry: retry.map((r) => r.id), unknown: unknown.map((r) => r.id) };
}

function outcomeOf(result: Exclude<EmailSendResult, { status: 'unknown' }>, now: number): MessageOutcome {
  switch (result.status) {
    case 'sent':
      return { status: 'sent', providerMessageId: result.messageId, sentAt: now };
    case 'inactive':
      return { status: 'inactive', error: result.message };
    case 'failed':
      return { status: 'failed', error: result.message, retryable: false };
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
