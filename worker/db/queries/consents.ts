import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { consents } from '../schema';

export type Consent = typeof consents.$inferSelect;
export type NewConsent = typeof consents.$inferInsert;
export type ConsentChannel = Consent['channel'];
export type ConsentPurpose = Consent['purpose'];
export type ConsentSource = Consent['source'];

/** The ledger is append-only: a change of mind is a new row, never an update. */
export async function appendConsents(d: Db, rows: NewConsent[]): Promise<void> {
  if (rows.length === 0) return;
  await d.insert(consents).values(rows);
}

/** The row in force for one channel and purpose: the latest by occurrence time. */
export async function currentConsent(
  d: Db,
  storeId: string,
  contactId: string,
  channel: ConsentChannel,
  purpose: ConsentPurpose,
): Promise<Consent | undefined> {
  return d
    .select()
    .from(consents)
    .where(
      and(
        eq(consents.storeId, storeId),
        eq(consents.contactId, contactId),
        eq(consents.channel, channel),
        eq(consents.purpose, purpose),
      ),
    )
    .orderBy(desc(consents.occurredAt), desc(consents.id))
    .get();
}

export async function listConsents(d: Db, storeId: string, contactId: string): Promise<Consent[]> {
  return d
    .select()
    .from(consents)
    .where(and(eq(consents.storeId, storeId), eq(consents.contactId, contactId)))
    .orderBy(desc(consents.occurredAt), desc(consents.id))
    .all();
}
