import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { messages } from '../schema';
import { chunks, IDS_PER_STATEMENT } from './batching';
import type { Message } from './messages';

/** Rows from before `sending_since` existed count from their creation. */
const since = sql`coalesce(${messages.sendingSince}, ${messages.createdAt})`;

/**
 * Takes email rows that have been `sending` since before `before` (no answer came: a timeout, or the
 * process stopped mid-call) for settling, and restarts their clock at `now`: two sweeps, or a sweep
 * and a redelivered pointer, can never take the same row at once. `ids` narrows it to a batch's rows.
 */
export async function takeUnsettledSends(d: Db, storeId: string, before: number, now: number, ids?: string[], limit = 500): Promise<Message[]> {
  const base = and(eq(messages.storeId, storeId), eq(messages.channel, 'email'), eq(messages.status, 'sending'), lt(since, before));
  // A sweep takes at most `limit` rows a tick; a batch's ids are bounded by the batch already.
  const parts = ids
    ? chunks([...new Set(ids)], IDS_PER_STATEMENT).map((part) => and(base, inArray(messages.id, part)))
    : [and(base, inArray(messages.id, d.select({ id: messages.id }).from(messages).where(base).limit(limit)))];
  const taken: Message[] = [];
  for (const where of parts) taken.push(...(await d.update(messages).set({ sendingSince: now }).where(where).returning().all()));
  return taken;
}

/** Stores with a row `sending` since before `before`: the sweep visits only those, not every store each minute. */
export async function storesWithStuckSends(d: Db, before: number): Promise<string[]> {
  const rows = await d.selectDistinct({ storeId: messages.storeId }).from(messages).where(and(eq(messages.status, 'sending'), lt(since, before))).all();
  return rows.map((r) => r.storeId);
}

/** Keeps the row `sending` (its outcome is unknown) and says why, for the dashboard. */
export async function noteUnknownOutcome(d: Db, storeId: string, ids: string[], reason: string): Promise<void> {
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    await d
      .update(messages)
      .set({ error: reason })
      .where(and(eq(messages.storeId, storeId), inArray(messages.id, part), eq(messages.status, 'sending')));
  }
}
