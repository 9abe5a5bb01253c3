import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { contacts } from '../schema';
import type { Contact } from './contacts';

/** Several contacts of one store may share a phone (a family, a shop line): an SMS reply concerns them all. */
export async function findContactsByPhone(d: Db, storeId: string, phone: string): Promise<Contact[]> {
  return d
    .select()
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.phone, phone)))
    .all();
}

/** An unsubscribe never overrides a harder stop (bounced, complained). */
export async function markContactUnsubscribed(d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  await d
    .update(contacts)
    .set({ status: 'unsubscribed', updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), eq(contacts.status, 'active')));
}
