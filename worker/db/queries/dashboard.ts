import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { messages, stores } from '../schema';

/** Read models only the admin dashboard needs; the rest it takes from admin-views and the domain modules. */

export type StoreListing = { id: string; name: string; siteUrl: string | null; connectedAt: number | null };

/** Every store of the deployment (the dashboard's entry page): the one query not scoped by a store. */
export async function listStoreListings(d: Db): Promise<StoreListing[]> {
  return d
    .select({ id: stores.id, name: stores.name, siteUrl: stores.siteUrl, connectedAt: stores.connectedAt })
    .from(stores)
    .orderBy(asc(stores.name), asc(stores.id))
    .all();
}

export type MessageListing = Pick<
  typeof messages.$inferSelect,
  'id' | 'contactId' | 'flowId' | 'stepId' | 'channel' | 'status' | 'subject' | 'to' | 'error' | 'createdAt' | 'sentAt'
>;

/** The store's latest messages (or one contact's), newest first, without their bodies. */
export async function listStoreMessages(d: Db, storeId: string, limit: number, contactId?: string): Promise<MessageListing[]> {
  return d
    .select({
      id: messages.id,
      contactId: messages.contactId,
      flowId: messages.flowId,
      stepId: messages.stepId,
      channel: messages.channel,
      status: messages.status,
      subject: messages.subject,
      to: messages.to,
      error: messages.error,
      createdAt: messages.createdAt,
      sentAt: messages.sentAt,
    })
    .from(messages)
    .where(contactId === undefined ? eq(messages.storeId, storeId) : and(eq(messages.storeId, storeId), eq(messages.contactId, contactId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit)
    .all();
}
