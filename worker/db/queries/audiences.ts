import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { audienceMembers, contacts } from '../schema';

export type AudienceMember = typeof audienceMembers.$inferSelect;

/** Adds the contact once per audience; returns false when they were already in it. */
export async function addAudienceMember(d: Db, row: AudienceMember): Promise<boolean> {
  const inserted = await d.insert(audienceMembers).values(row).onConflictDoNothing().returning().get();
  return inserted !== undefined;
}

export type AudienceExportRow = { contactId: string; email: string | null; phone: string | null };

/**
 * Members still reachable for advertising: contacts who unsubscribed, bounced or complained are
 * left out, and their identifiers come from the contact row as it is now (an erased contact is gone).
 */
export async function listAudienceForExport(d: Db, storeId: string, audience: string): Promise<AudienceExportRow[]> {
  return d
    .select({ contactId: contacts.id, email: contacts.email, phone: contacts.phone })
    .from(audienceMembers)
    .innerJoin(contacts, and(eq(contacts.storeId, audienceMembers.storeId), eq(contacts.id, audienceMembers.contactId)))
    .where(and(eq(audienceMembers.storeId, storeId), eq(audienceMembers.audience, audience), eq(contacts.status, 'active')))
    .orderBy(asc(audienceMembers.addedAt), asc(audienceMembers.contactId))
    .all();
}
