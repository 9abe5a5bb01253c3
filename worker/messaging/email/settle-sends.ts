import type { Db } from '../../db/client';
import { completeMessages, type Message, type MessageOutcome } from '../../db/queries/messages';
import { takeUnsettledSends } from '../../db/queries/unsettled-sends';
import type { SentLookup } from './postmark-search';
import { perStream, sendGroup, type SendDeps } from './send-rows';
import type { SendQueueMessage } from './send-queue';

/**
 * How long a row stays `sending` with no answer before it is looked up: longer than one send call
 * can last (a 15 s timeout, 429/5xx retries backing off up to 30 s, five attempts), so a call still
 * in flight is never settled under it, and long enough for Postmark to list what it accepted.
 */
export const SETTLE_AFTER_MS = 5 * 60_000;

/**
 * SETTLE_AFTER_MS, or the deployment's SEND_SETTLE_AFTER_SECONDS where set: the chaos suite shortens it, since
 * its local Postmark lists a message the moment it accepts it and its calls never back off for long.
 */
export function settleAfterMs(env: Env): number {
  const seconds = Number(env.SEND_SETTLE_AFTER_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : SETTLE_AFTER_MS;
}
/** Searches in flight at once per store: Postmark's API is shared with the sends. */
const LOOKUP_CONCURRENCY = 8;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export type Settled = { found: number; resent: number; unknown: number; requeued: string[] };

/**
 * Exactly once for a message whose send had no answer: each unsettled row is looked up in Postmark's
 * outbound search by the send id in its Metadata. Found: it is marked sent with Postmark's MessageID.
 * Not found: it is sent now, once. A failed lookup leaves it `sending` for the next try. Returns the
 * rows Postmark refused for now (429/5xx), back in `queued`, for the caller to point the queue at.
 */
export async function settleUnknownSends(env: Env, d: Db, storeId: string, deps: SendDeps, ids?: string[]): Promise<Settled> {
  const now = (deps.now ?? Date.now)();
  const rows = await takeUnsettledSends(d, storeId, now - settleAfterMs(env), now, ids);
  const settled: Settled = { found: 0, resent: 0, unknown: 0, requeued: [] };
  if (rows.length === 0) return settled;
  const noToken: MessageOutcome = { status: 'failed', error: 'outcome unknown: the store has no Postmark token to look it up', retryable: false };
  await perStream(env, d, storeId, rows, deps, noToken, async (client, stream, group) => {
    const lookups = await mapLimit(group, LOOKUP_CONCURRENCY, (r) => client.lookupSent(r.id));
    const found = group.flatMap((row, i) => foundOutcome(row, lookups[i]!, now));
    await completeMessages(d, storeId, found);
    const missing = group.filter((_, i) => lookups[i]!.status === 'not_found');
    const left = await sendGroup(d, storeId, missing, client, stream, now);
    settled.found += found.length;
    settled.resent += missing.length - left.retry.length - left.unknown.length;
    settled.unknown += left.unknown.length + lookups.filter((l) => l.status === 'error').length;
    settled.requeued.push(...left.retry);
  });
  return settled;
}

function foundOutcome(row: Message, lookup: SentLookup, now: number): { id: string; outcome: MessageOutcome }[] {
  if (lookup.status !== 'found') return [];
  return [{ id: row.id, outcome: { status: 'sent', providerMessageId: lookup.messageId, sentAt: now } }];
}

/** Rows Postmark refused while settling wait in `queued` again; the queue is pointed at them. */
export async function pointAt(queue: Queue, storeId: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const body = ids.slice(i, i + 100).map((messageId): { body: SendQueueMessage; contentType: 'json' } => ({ body: { storeId, messageId }, contentType: 'json' }));
    await queue.sendBatch(body);
  }
}
