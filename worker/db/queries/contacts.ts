import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { contacts, erasureSuppressions } from '../schema';
import { newId } from '../../lib/ids';
import { sha256Hex } from '../../lib/hmac';

export type Contact = typeof contacts.$inferSelect;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A contact by id, prepared once per isolate (db/prepared.ts); takes `storeId` and `contactId`. */
export const contactQuery = prepared((d) =>
  d
    .select()
    .from(contacts)
    .where(and(eq(contacts.storeId, sql.placeholder('storeId')), eq(contacts.id, sql.placeholder('contactId'))))
    .prepare(),
);

export async function findContact(d: Db, storeId: string, contactId: string): Promise<Contact | undefined> {
  return (await contactQuery(d).all({ storeId, contactId }))[0];
}

export async function findContactByEmail(d: Db, storeId: string, email: string): Promise<Contact | undefined> {
  return d
    .select()
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.email, normalizeEmail(email))))
    .get();
}

/** Phone numbers compare without spacing or punctuation. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

/** What an erasure leaves behind: a per-store hash of the normalized address, never the address. */
export async function suppressionHash(storeId: string, kind: 'email' | 'phone', value: string): Promise<string> {
  const normalized = kind === 'email' ? normalizeEmail(value) : normalizePhone(value);
  return sha256Hex(`${storeId}\n${kind}\n${normalized}`);
}

/**
 * The one way a contact comes into being by email. Concurrent callers converge on one row:
 * the unique (store, email) index decides, and the loser reads the winner's row.
 * An erased person who comes back (an order, an import) is recorded but starts `unsubscribed`:
 * only their own explicit, confirmed opt-in (double opt-in) makes them reachable again.
 */
export async function findOrCreateContactByEmail(
  d: Db,
  storeId: string,
  email: string,
  now: number,
  fields: Partial<Pick<Contact, 'firstName' | 'lastName' | 'phone' | 'locale' | 'wooCustomerId' | 'country'>> = {},
): Promise<{ contact: Contact; created: boolean }> {
  const normalized = normalizeEmail(email);
  const hashes = [await suppressionHash(storeId, 'email', normalized)];
  if (fields.phone) hashes.push(await suppressionHash(storeId, 'phone', fields.phone));
  const erased = d
    .select({ one: sql`1` })
    .from(erasureSuppressions)
    .where(and(eq(erasureSuppressions.storeId, storeId), inArray(erasureSuppressions.hash, hashes)));
  const status = sql`CASE WHEN EXISTS ${erased} THEN 'unsubscribed' ELSE 'active' END`;
  const inserted = await d
    .insert(contacts)
    .values({ id: newId('c'), storeId, email: normalized, status, createdAt: now, updatedAt: now, ...fields })
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

/** What a WooCommerce customer record says about its contact; `sourceModifiedAt` is its date_modified_gmt. */
export type WooCustomerProfile = {
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** Absent or null keeps the country the contact has. */
  country?: string | null;
  wooCustomerId: number;
  sourceModifiedAt: number;
};

/**
 * Applies a customer record to its contact unless a newer record was applied already, or the contact belongs
 * to another WooCommerce customer. Empty fields in the record keep what the contact has.
 * Returns false when nothing was applied.
 */
export async function applyWooCustomerProfile(
  d: Db,
  storeId: string,
  contactId: string,
  profile: WooCustomerProfile,
  now: number,
): Promise<boolean> {
  const { firstName, lastName, phone, country, wooCustomerId, sourceModifiedAt } = profile;
  const filled = Object.fromEntries(Object.entries({ firstName, lastName, phone, country }).filter(([, v]) => v != null));
  const rows = await d
    .update(contacts)
    .set({ ...filled, wooCustomerId, sourceModifiedAt, updatedAt: now })
    .where(
      and(
        eq(contacts.storeId, storeId),
        eq(contacts.id, contactId),
        or(isNull(contacts.sourceModifiedAt), lte(contacts.sourceModifiedAt, sourceModifiedAt)),
        or(isNull(contacts.wooCustomerId), eq(contacts.wooCustomerId, wooCustomerId)),
      ),
    )
    .returning({ id: contacts.id });
  return rows.length > 0;
}

/** An explicit, confirmed opt-in lifts an unsubscribe; bounces and complaints stay as they are. */
export async function resubscribeContact(d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  await d
    .update(contacts)
    .set({ status: 'active', updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), eq(contacts.status, 'unsubscribed')));
}

/** The country of the contact's latest order address (location segments); writes only when it changed. */
export async function setContactCountry(d: Db, storeId: string, contactId: string, country: string, now: number): Promise<void> {
  await d
    .update(contacts)
    .set({ country, updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), sql`${contacts.country} IS NOT ${country}`));
}

/** Remembers where the edge last saw the contact; writes only when it changed. */
export async function setContactGeoTimezone(d: Db, storeId: string, contactId: string, timeZone: string, now: number): Promise<void> {
  await d
    .update(contacts)
    .set({ geoTimezone: timeZone, updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), sql`${contacts.geoTimezone} IS NOT ${timeZone}`));
}
