import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { messageClicks, messages } from '../schema';
import type { Message } from './messages';

export type MessageClick = typeof messageClicks.$inferSelect;

export async function recordMessageClick(d: Db, row: Omit<MessageClick, 'id'>): Promise<void> {
  await d.insert(messageClicks).values(row);
}

export async function listMessageClicks(d: Db, storeId: string, messageId: string): Promise<MessageClick[]> {
  return d
    .select()
    .from(messageClicks)
    .where(and(eq(messageClicks.storeId, storeId), eq(messageClicks.messageId, messageId)))
    .orderBy(asc(messageClicks.clickedAt), asc(messageClicks.id))
    .all();
}

/**
 * The one lookup not scoped by store: click and open tokens carry only the send id, and the store
 * (whose key verifies the token) is learnt from this row. Send ids are hashes of store and
 * idempotency key, so they never collide across stores; callers must verify the token with the
 * returned row's store key before trusting anything else in it.
 */
export async function findMessageBySendId(d: Db, sendId: string): Promise<Message | undefined> {
  return d.select().from(messages).where(eq(messages.id, sendId)).get();
}
