import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { messages, type MessageStatus } from '../schema';

export type Message = typeof messages.$inferSelect;
export type NewMessage = Pick<
  typeof messages.$inferInsert,
  'id' | 'storeId' | 'contactId' | 'flowId' | 'stepId' | 'enrollmentId' | 'idempotencyKey' | 'channel' | 'subject' | 'html' | 'text' | 'to' | 'createdAt'
>;
export type MessageOutcome = {
  status: Exclude<MessageStatus, 'sending'>;
  providerMessageId?: string | null;
  error?: string | null;
  retryable?: boolean;
  sentAt?: number | null;
};

/**
 * Claims the right to send: inserts the row as `sending`, or takes back a failure the provider
 * never accepted. Anything else already recorded under the key means "do not send again".
 */
export async function claimMessage(d: Db, row: NewMessage): Promise<{ claimed: boolean; message: Message }> {
  const inserted = await d
    .insert(messages)
    .values({ ...row, status: 'sending' })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) return { claimed: true, message: inserted };
  const where = and(eq(messages.storeId, row.storeId), eq(messages.idempotencyKey, row.idempotencyKey));
  const retaken = await d
    .update(messages)
    .set({ status: 'sending', subject: row.subject, html: row.html, text: row.text, to: row.to, error: null, retryable: false })
    .where(and(where, eq(messages.status, 'failed'), eq(messages.retryable, true)))
    .returning()
    .get();
  if (retaken) return { claimed: true, message: retaken };
  const existing = await d.select().from(messages).where(where).get();
  if (!existing) throw new Error(`message ${row.idempotencyKey} vanished while claiming`);
  return { claimed: false, message: existing };
}

export async function completeMessage(d: Db, storeId: string, id: string, outcome: MessageOutcome): Promise<Message | undefined> {
  return d
    .update(messages)
    .set({
      status: outcome.status,
      providerMessageId: outcome.providerMessageId ?? null,
      error: outcome.error ?? null,
      retryable: outcome.retryable ?? false,
      sentAt: outcome.sentAt ?? null,
    })
    .where(and(eq(messages.storeId, storeId), eq(messages.id, id)))
    .returning()
    .get();
}

export async function findMessage(d: Db, storeId: string, id: string): Promise<Message | undefined> {
  return d.select().from(messages).where(and(eq(messages.storeId, storeId), eq(messages.id, id))).get();
}

export async function findMessageByProviderId(d: Db, storeId: string, providerMessageId: string): Promise<Message | undefined> {
  return d
    .select()
    .from(messages)
    .where(and(eq(messages.storeId, storeId), eq(messages.providerMessageId, providerMessageId)))
    .get();
}

export async function listContactMessages(d: Db, storeId: string, contactId: string, limit = 100): Promise<Message[]> {
  return d
    .select()
    .from(messages)
    .where(and(eq(messages.storeId, storeId), eq(messages.contactId, contactId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit)
    .all();
}
