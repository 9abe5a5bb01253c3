import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client';
import { contactMerges, contacts, erasureSuppressions } from '../schema';
import { runBatch } from './batching';
import { findContact, suppressionHash, type Contact } from './contacts';
import { contactTables } from './privacy';

/** What the surviving contact row looks like after an email change or a merge. */
export type SurvivorFields = Pick<Contact, 'email' | 'status'> &
  Partial<Pick<Contact, 'wooCustomerId' | 'firstName' | 'lastName' | 'phone' | 'birthday' | 'locale' | 'timezone'>>;

/**
 * A suppressed address stays suppressed after the contact moves to another one: its per-store hash joins the
 * tombstones `findOrCreateContactByEmail` checks, so an order or a sign-up from it starts `unsubscribed`.
 */
function suppressAddress(d: Db, storeId: string, hash: string, now: number) {
  // Built without awaiting: a drizzle query is a thenable, and awaiting it would run it outside the batch.
  return d.insert(erasureSuppressions).values({ storeId, hash, kind: 'email', createdAt: now }).onConflictDoNothing();
}

function survivorUpdate(d: Db, storeId: string, contactId: string, fields: SurvivorFields, now: number) {
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return d
    .update(contacts)
    .set({ ...set, updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId)));
}

/** The contact takes its new address; the old one, when it was suppressed, stays suppressed. One transaction. */
export async function changeContactEmail(
  d: Db,
  storeId: string,
  contact: Contact,
  fields: SurvivorFields,
  now: number,
): Promise<void> {
  const statements: BatchItem<'sqlite'>[] = [survivorUpdate(d, storeId, contact.id, fields, now)];
  if (contact.email && contact.status !== 'active') {
    statements.push(suppressAddress(d, storeId, await suppressionHash(storeId, 'email', contact.email), now));
  }
  await runBatch(d, statements);
}

/**
 * Moves everything `gone` has onto `keep` and deletes `gone`, in one transaction. Every table with a contact_id
 * is covered (taken from the drizzle schema, like erasure, so a new table is never forgotten). Where a row of
 * `keep` already holds the same key (a tag, a preference, an audience membership), `keep`'s row stays.
 * `suppressedEmail` is an address the person leaves behind that must stay suppressed.
 */
export async function mergeContactRows(
  d: Db,
  storeId: string,
  ids: { keep: string; gone: string },
  survivor: SurvivorFields,
  suppressedEmail: string | null,
  now: number,
): Promise<void> {
  const { keep, gone } = ids;
  const suppressedHash = suppressedEmail ? await suppressionHash(storeId, 'email', suppressedEmail) : null;
  // drizzle cannot batch raw SQL with parameters, and has no UPDATE OR IGNORE: every statement goes to D1 as SQL.
  const client = (d as Db & { $client: D1Database }).$client;
  const moves = contactTables()
    .filter((t) => t.name !== 'contacts')
    .flatMap((t) => [
      client.prepare(`UPDATE OR IGNORE "${t.name}" SET contact_id = ?1 WHERE store_id = ?2 AND contact_id = ?3`).bind(keep, storeId, gone),
      client.prepare(`DELETE FROM "${t.name}" WHERE store_id = ?1 AND contact_id = ?2`).bind(storeId, gone),
    ]);
  const rest = [
    d.delete(contacts).where(and(eq(contacts.storeId, storeId), eq(contacts.id, gone))),
    survivorUpdate(d, storeId, keep, survivor, now),
    d.insert(contactMerges).values({ storeId, contactId: keep, mergedId: gone, mergedAt: now }).onConflictDoNothing(),
    ...(suppressedHash ? [suppressAddress(d, storeId, suppressedHash, now)] : []),
  ].map((q) => {
    const { sql: text, params } = q.toSQL();
    return client.prepare(text).bind(...params);
  });
  await client.batch([...moves, ...rest]);
}

/**
 * The contact an id names now: itself, or the contact it was merged into. Links and tokens in emails already
 * sent name the id they were made for; an unsubscribe from one of them must still reach the person.
 */
export async function findCurrentContact(d: Db, storeId: string, contactId: string): Promise<Contact | undefined> {
  const own = await findContact(d, storeId, contactId);
  if (own) return own;
  const merged = await d
    .select({ contactId: contactMerges.contactId })
    .from(contactMerges)
    .where(and(eq(contactMerges.storeId, storeId), eq(contactMerges.mergedId, contactId)))
    .get();
  return merged ? findContact(d, storeId, merged.contactId) : undefined;
}

/**
 * The WordPress account behind the contact was deleted: the contact (a marketing contact, with its consent
 * history) stays, but no longer answers to that customer id, so the person can register again under a new one.
 */
export async function releaseWooCustomer(d: Db, storeId: string, contactId: string, wooCustomerId: number, now: number): Promise<void> {
  await d
    .update(contacts)
    .set({ wooCustomerId: null, updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), eq(contacts.wooCustomerId, wooCustomerId)));
}
