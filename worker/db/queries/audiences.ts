import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { audienceMembers, contacts, segmentMembers } from '../schema';
import { grantedInForce } from './consents';

export type AudienceMember = typeof audienceMembers.$inferSelect;

/** Adds the contact once per audience; returns false when they were already in it. */
export async function addAudienceMember(d: Db, row: AudienceMember): Promise<boolean> {
  const inserted = await d.insert(audienceMembers).values(row).onConflictDoNothing().returning().get();
  return inserted !== undefined;
}

export type AudienceExportRow = { contactId: string; email: string | null; phone: string | null };
export type ExportChannel = 'email' | 'sms';

/** The marketing consent in force on a channel is a grant (a double opt-in not yet confirmed has none). */
function grantedOn(channel: ExportChannel): SQL {
  return sql`coalesce(${grantedInForce(contacts.storeId, contacts.id, channel, 'marketing')}, 0) = 1`;
}

/**
 * What an export may hold of a contact: contacts who unsubscribed, bounced or complained are left out, and so is every
 * identifier without marketing consent for its channel (an email without email consent, a phone without SMS
 * consent), or of a channel not asked for. Identifiers come from the contact row as it is now (an erased contact is gone).
 */
function exportable(channels: readonly ExportChannel[]) {
  const email = channels.includes('email') ? grantedOn('email') : sql`0`;
  const sms = channels.includes('sms') ? grantedOn('sms') : sql`0`;
  return {
    columns: {
      contactId: contacts.id,
      email: sql<string | null>`CASE WHEN ${email} THEN ${contacts.email} END`,
      phone: sql<string | null>`CASE WHEN ${sms} THEN ${contacts.phone} END`,
    },
    reachable: and(eq(contacts.status, 'active'), or(email, sms)),
  };
}

/** The two kinds of membership an export reads: flow-built audiences and segments, keyed by name and by id. */
const MEMBERSHIPS = {
  audience: { table: audienceMembers, storeId: audienceMembers.storeId, contactId: audienceMembers.contactId, key: audienceMembers.audience, since: audienceMembers.addedAt },
  segment: { table: segmentMembers, storeId: segmentMembers.storeId, contactId: segmentMembers.contactId, key: segmentMembers.segmentId, since: segmentMembers.since },
};

async function reachableMembers(d: Db, storeId: string, kind: keyof typeof MEMBERSHIPS, key: string, channels: readonly ExportChannel[]): Promise<AudienceExportRow[]> {
  const m = MEMBERSHIPS[kind];
  const { columns, reachable } = exportable(channels);
  return d
    .select(columns)
    .from(m.table)
    .innerJoin(contacts, and(eq(contacts.storeId, m.storeId), eq(contacts.id, m.contactId)))
    .where(and(eq(m.storeId, storeId), eq(m.key, key), reachable))
    .orderBy(asc(m.since), asc(m.contactId))
    .all();
}

/** Members of a flow-built audience still reachable for advertising, on both channels. */
export function listAudienceForExport(d: Db, storeId: string, audience: string): Promise<AudienceExportRow[]> {
  return reachableMembers(d, storeId, 'audience', audience, ['email', 'sms']);
}

/** Members of a segment now, reachable for advertising on `channels`, with the same consent rules as an audience. */
export function listSegmentAudienceForExport(d: Db, storeId: string, segmentId: string, channels: readonly ExportChannel[]): Promise<AudienceExportRow[]> {
  return reachableMembers(d, storeId, 'segment', segmentId, channels);
}
