import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { contacts } from '../schema';
import { newId } from '../../lib/ids';

export type Contact = typeof contacts.$inferSelect;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findContact(d: Db, storeId: string, contactId: string): Promise<Contact | undefined> {
  return d.select().from(contacts).where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId))).get();
}

export async function findContactByEmail(d: Db, storeId: string, email: string): Promise<Contact | undefined> {
  return d
    .select()
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.email, normalizeEmail(email))))
    .get();
}

/**
 * The one way a contact comes into being by email. Concurrent callers converge on one row:
 * the unique (store, email) index decides, and the loser reads the winner's row.
 */
export async function findOrCreateContactByEmail(
  d: Db,
  storeId: string,
  email: string,
  now: number,
  fields: Partial<Pick<Contact, 'firstName' | 'lastName' | 'phone' | 'locale' | 'wooCustomerId'>> = {},
): Promise<{ contact: Contact; created: boolean }> {
  const normalized = normalizeEmail(email);
  const inserted = await d
    .insert(contacts)
    .values({ id: newId('c'), storeId, email: normalized, createdAt: now, updatedAt: now, ...fields })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) return { contact: inserted, created: true };
  const existing = await findContactByEmail(d, storeId, normalized);
  if (!existing) throw new Error(`contact for ${storeId} vanished during upsert`);
  return { contact: existing, created: false };
}

export async function findContactByWooCustomerId(
  d: Db,
  storeId: string,
  wooCustomerId: number,
): Promise<Contact | undefined> {
  return d
    .select()
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.wooCustomerId, wooCustomerId)))
    .get();
}

export type ContactProfileFields = Partial<Pick<Contact, 'firstName' | 'lastName' | 'phone' | 'birthday'>>;

/** Fills profile fields from a trusted source; absent fields are left as they are. */
export async function updateContactProfile(
  d: Db,
  storeId: string,
  contactId: string,
  fields: ContactProfileFields,
  now: number,
): Promise<void> {
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(set).length === 0) return;
  await d
    .update(contacts)
    .set({ ...set, updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId)));
}
