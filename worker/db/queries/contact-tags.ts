import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { contactProperties, contactTags } from '../schema';
import { contactSegmentIds } from './segment-members';
import type { Scalar } from '../../journeys/events';

export async function listContactTags(d: Db, storeId: string, contactId: string): Promise<string[]> {
  const rows = await d
    .select({ tag: contactTags.tag })
    .from(contactTags)
    .where(and(eq(contactTags.storeId, storeId), eq(contactTags.contactId, contactId)))
    .all();
  return rows.map((r) => r.tag).sort();
}

/** Idempotent: adding a tag twice or removing a missing one changes nothing. */
export async function setContactTag(d: Db, storeId: string, contactId: string, tag: string, present: boolean, now: number): Promise<void> {
  if (present) {
    await d.insert(contactTags).values({ storeId, contactId, tag, createdAt: now }).onConflictDoNothing();
    return;
  }
  await d
    .delete(contactTags)
    .where(and(eq(contactTags.storeId, storeId), eq(contactTags.contactId, contactId), eq(contactTags.tag, tag)));
}

export async function listContactProperties(d: Db, storeId: string, contactId: string): Promise<Record<string, Scalar>> {
  const rows = await d
    .select({ key: contactProperties.key, value: contactProperties.value })
    .from(contactProperties)
    .where(and(eq(contactProperties.storeId, storeId), eq(contactProperties.contactId, contactId)))
    .all();
  return Object.fromEntries(rows.map((r) => [r.key, r.value ?? null]));
}

export async function setContactProperty(d: Db, storeId: string, contactId: string, key: string, value: Scalar, now: number): Promise<void> {
  await d
    .insert(contactProperties)
    .values({ storeId, contactId, key, value, updatedAt: now })
    .onConflictDoUpdate({ target: [contactProperties.storeId, contactProperties.contactId, contactProperties.key], set: { value, updatedAt: now } });
}

/** What conditional blocks read of a contact: its properties (welcome choices...) and tags. */
export async function contactFactsForMessage(d: Db, storeId: string, contactId: string): Promise<{ properties: Record<string, Scalar>; tags: string[]; segments: string[] }> {
  const [properties, tags, segments] = await Promise.all([listContactProperties(d, storeId, contactId), listContactTags(d, storeId, contactId), contactSegmentIds(d, storeId, contactId)]);
  return { properties, tags, segments: [...segments.keys()] };
}

/** Only wording that tests a property, a tag or a segment needs them: the shipped templates never do, so most sends skip the reads. */
export function readsContactFacts(sources: (string | null | undefined)[]): boolean {
  return sources.some((s) => typeof s === 'string' && /contact\.(properties|tags|segments)\b/.test(s));
}

