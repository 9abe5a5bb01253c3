import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { audienceMembers, contacts } from '../schema';
import { grantedInForce } from './consents';

export type AudienceMember = typeof audienceMembers.$inferSelect;

/** Adds the contact once per audience; returns false when they were already in it. */
export async function addAudienceMember(d: Db, row: AudienceMember): Promise<boolean> {
  const inserted = await d.insert(audienceMembers).values(row).onConflictDoNothing().returning().get();
  return inserted !== undefined;
}

export type AudienceExportRow = { contactId: string; email: string | null; phone: string | null };

/** The marketing consent in force on a channel is a grant. */
function grantedOn(channel: 'email' | 'sms'): SQL {
  return sql`coalesce(${grantedInForce(contacts.storeId, contacts.id, channel, 'marketing')}, 0) = 1`;
}

/**
 * Members still reachable for advertising: contacts who unsubscribed, bounced or complained are left out, and so
 * is every identifier without marketing consent for its channel (an email without email consent, a phone without
 * SMS consent). Identifiers come from the contact row as it is now (an erased contact is gone).
 */
export async function listAudienceForExport(d: Db, storeId: string, audience: string): Promise<AudienceExportRow[]> {
  const email = grantedOn('email');
  const sms = grantedOn('sms');
  return d
    .select({
      contactId: contacts.id,
      email: sql<string | null>`CASE WHEN ${email} THEN ${contacts.email} END`,
      phone: sql<string | null>`CASE WHEN ${sms} THEN ${contacts.phone} END`,
    })
    .from(audienceMembers)
    .innerJoin(contacts, and(eq(contacts.storeId, audienceMembers.storeId), eq(contacts.id, audienceMembers.contactId)))
    .where(
      and(eq(audienceMembers.storeId, storeId), eq(audienceMembers.audience, audience), eq(contacts.status, 'active'), or(email, sms)),
    )
    .orderBy(asc(audienceMembers.addedAt), asc(audienceMembers.contactId))
    .all();
}
