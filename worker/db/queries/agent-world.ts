import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { contacts, flows, storeSettings, stores } from '../schema';
import type { Contact } from './contacts';
import type { FlowRow } from './flows';
import { opened as openedStore, type Store } from './stores';

/**
 * What a ContactAgent reads each time it wakes (its store, its contact, the store's flows), in one
 * D1 round trip: a thousand reminders due at once wake a thousand agents. The store's secrets are opened like
 * every other read of a whole store row.
 */
export async function loadAgentWorld(
  d: Db,
  storeId: string,
  contactId: string,
): Promise<{ store: Store | undefined; contact: Contact | undefined; flows: FlowRow[]; postmark: boolean }> {
  const [store, contact, flowRows, token] = await d.batch([
    d.select().from(stores).where(eq(stores.id, storeId)).limit(1),
    d.select().from(contacts).where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId))).limit(1),
    d.select().from(flows).where(eq(flows.storeId, storeId)).orderBy(asc(flows.position), asc(flows.id)),
    // Only whether a token is set (it stays sealed): emails of such a store go to the batched send stage.
    d.select({ token: storeSettings.postmarkServerToken }).from(storeSettings).where(eq(storeSettings.storeId, storeId)).limit(1),
  ]);
  return { store: await openedStore(store[0]), contact: contact[0], flows: flowRows, postmark: Boolean(token[0]?.token) };
}
