import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { consentConfirmations, contactPreferences, preferenceAnswers, privacySettings, products } from '../schema';

export type ChannelPreference = typeof contactPreferences.$inferSelect;
export type PreferenceChannel = ChannelPreference['channel'];
export type PrivacySettings = typeof privacySettings.$inferSelect;
export type ConsentConfirmation = typeof consentConfirmations.$inferSelect;
export type NewConsentConfirmation = typeof consentConfirmations.$inferInsert;

export const DEFAULT_PRIVACY = { doubleOptIn: true, confirmationDays: 7, eventRetentionMonths: 13, openTracking: true } as const;

export type ContactPreferenceRows = {
  channels: Pick<ChannelPreference, 'channel' | 'frequency' | 'pausedUntil' | 'mutedTopics'>[];
  /** One-click answers by question key. */
  answers: Record<string, string>;
};

/** Both halves of a contact's preferences in one statement: every marketing send reads them. */
const preferencesQuery = prepared((d) => {
  const ofContact = sql`store_id = ${sql.placeholder('storeId')} and contact_id = ${sql.placeholder('contactId')}`;
  return d
    .select({
      channels: sql<string>`(select json_group_array(json_object('channel', channel, 'frequency', frequency, 'pausedUntil', paused_until, 'mutedTopics', json(muted_topics)))
        from contact_preferences where ${ofContact})`.as('channels'),
      answers: sql<string>`(select json_group_object(key, value) from preference_answers where ${ofContact})`.as('answers'),
    })
    .from(sql`(select 1)`)
    .prepare();
});

export async function readContactPreferences(d: Db, storeId: string, contactId: string): Promise<ContactPreferenceRows> {
  const [row] = await preferencesQuery(d).all({ storeId, contactId });
  return { channels: JSON.parse(row!.channels) as ContactPreferenceRows['channels'], answers: JSON.parse(row!.answers) as Record<string, string> };
}

export type ChannelPreferenceInput = Pick<ChannelPreference, 'channel' | 'frequency' | 'pausedUntil' | 'mutedTopics'>;

export async function saveChannelPreference(d: Db, storeId: string, contactId: string, p: ChannelPreferenceInput, now: number): Promise<void> {
  const set = { frequency: p.frequency, pausedUntil: p.pausedUntil, mutedTopics: p.mutedTopics, updatedAt: now };
  await d
    .insert(contactPreferences)
    .values({ storeId, contactId, channel: p.channel, ...set })
    .onConflictDoUpdate({ target: [contactPreferences.storeId, contactPreferences.contactId, contactPreferences.channel], set });
}

export type PreferenceAnswer = typeof preferenceAnswers.$inferSelect;

export async function listPreferenceAnswers(d: Db, storeId: string, contactId: string): Promise<PreferenceAnswer[]> {
  return d
    .select()
    .from(preferenceAnswers)
    .where(and(eq(preferenceAnswers.storeId, storeId), eq(preferenceAnswers.contactId, contactId)))
    .all();
}

/** Idempotent: answering the same thing twice changes nothing; a different answer replaces the old one. */
export async function savePreferenceAnswer(d: Db, a: PreferenceAnswer): Promise<void> {
  await d
    .insert(preferenceAnswers)
    .values(a)
    .onConflictDoUpdate({
      target: [preferenceAnswers.storeId, preferenceAnswers.contactId, preferenceAnswers.key],
      set: { value: a.value, sendId: a.sendId, answeredAt: a.answeredAt },
      setWhere: sql`${preferenceAnswers.value} <> excluded.value`,
    });
}

export type Category = { slug: string; name: string };

/** The catalogue's categories (live products only), the topics a contact can mute. */
export async function listProductCategories(d: Db, storeId: string, limit = 40): Promise<Category[]> {
  const rows = await d
    .select({ slug: sql<string>`json_extract(c.value, '$.slug')`, name: sql<string>`json_extract(c.value, '$.name')` })
    .from(sql`${products}, json_each(${products.categories}) AS c`)
    .where(and(eq(products.storeId, storeId), isNull(products.deletedAt)))
    .groupBy(sql`1`)
    .orderBy(sql`2`)
    .limit(limit)
    .all();
  return rows.filter((r) => typeof r.slug === 'string' && r.slug !== '' && typeof r.name === 'string');
}

/** The slugs of the given catalogue category ids (the preference centre names topics by slug). */
export async function categorySlugs(d: Db, storeId: string, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await d
    .selectDistinct({ slug: sql<string>`json_extract(c.value, '$.slug')` })
    .from(sql`${products}, json_each(${products.categories}) AS c`)
    .where(and(eq(products.storeId, storeId), inArray(sql`json_extract(c.value, '$.id')`, ids)))
    .all();
  return rows.map((r) => r.slug).filter((slug) => typeof slug === 'string' && slug !== '');
}

export async function findPrivacySettings(d: Db, storeId: string): Promise<Omit<PrivacySettings, 'updatedAt'>> {
  const row = await d.select().from(privacySettings).where(eq(privacySettings.storeId, storeId)).get();
  return row ?? { storeId, ...DEFAULT_PRIVACY };
}

export type PrivacyPatch = Partial<Pick<PrivacySettings, 'doubleOptIn' | 'confirmationDays' | 'eventRetentionMonths' | 'openTracking'>>;

export async function updatePrivacySettings(d: Db, storeId: string, patch: PrivacyPatch, now: number): Promise<PrivacySettings> {
  return d
    .insert(privacySettings)
    .values({ storeId, ...DEFAULT_PRIVACY, ...patch, updatedAt: now })
    .onConflictDoUpdate({ target: privacySettings.storeId, set: { ...patch, updatedAt: now } })
    .returning()
    .get();
}

/**
 * Returns the row for this event: the one just written, or the one an earlier delivery wrote. Undefined when
 * another request's confirmation is already pending for the address (the unique `one_pending` index): concurrent
 * sign-ups of one address make one confirmation, never one each.
 */
export async function requestConfirmation(d: Db, row: NewConsentConfirmation): Promise<ConsentConfirmation | undefined> {
  await d.insert(consentConfirmations).values(row).onConflictDoNothing();
  return findConfirmationByEvent(d, row.storeId, row.eventKey);
}

export type ConfirmationCounts = { forContact: number; fromIp: number; forStore: number };

/** How many confirmations were asked since `since`: for the contact (any status), from the IP, for the store. */
export async function countConfirmationsSince(
  d: Db,
  k: { storeId: string; contactId: string; ipHash: string | null },
  since: { contact: number; ip: number; store: number },
): Promise<ConfirmationCounts> {
  const c = consentConfirmations;
  const row = await d
    .select({
      forContact: sql<number>`coalesce(sum(${c.contactId} = ${k.contactId} AND ${c.requestedAt} > ${since.contact}), 0)`,
      fromIp: sql<number>`coalesce(sum(${c.proofIpHash} IS NOT NULL AND ${c.proofIpHash} = ${k.ipHash} AND ${c.requestedAt} > ${since.ip}), 0)`,
      forStore: sql<number>`coalesce(sum(${c.requestedAt} > ${since.store}), 0)`,
    })
    .from(c)
    .where(and(eq(c.storeId, k.storeId), sql`${c.requestedAt} > ${Math.min(since.contact, since.ip, since.store)}`))
    .get();
  return { forContact: row?.forContact ?? 0, fromIp: row?.fromIp ?? 0, forStore: row?.forStore ?? 0 };
}

export async function findConfirmationByEvent(d: Db, storeId: string, eventKey: string): Promise<ConsentConfirmation | undefined> {
  return d
    .select()
    .from(consentConfirmations)
    .where(and(eq(consentConfirmations.storeId, storeId), eq(consentConfirmations.eventKey, eventKey)))
    .get();
}

export async function findConfirmation(d: Db, storeId: string, id: string): Promise<ConsentConfirmation | undefined> {
  return d
    .select()
    .from(consentConfirmations)
    .where(and(eq(consentConfirmations.storeId, storeId), eq(consentConfirmations.id, id)))
    .get();
}

export async function findPendingConfirmation(
  d: Db,
  storeId: string,
  contactId: string,
  channel: PreferenceChannel,
  now: number,
): Promise<ConsentConfirmation | undefined> {
  return d
    .select()
    .from(consentConfirmations)
    .where(
      and(
        eq(consentConfirmations.storeId, storeId),
        eq(consentConfirmations.contactId, contactId),
        eq(consentConfirmations.channel, channel),
        eq(consentConfirmations.status, 'pending'),
        sql`${consentConfirmations.expiresAt} > ${now}`,
      ),
    )
    .get();
}

/** Only a pending, unexpired row can be confirmed; returns false when it was not (already done, expired). */
export async function markConfirmed(d: Db, storeId: string, id: string, now: number): Promise<boolean> {
  const rows = await d
    .update(consentConfirmations)
    .set({ status: 'confirmed', resolvedAt: now })
    .where(
      and(
        eq(consentConfirmations.storeId, storeId),
        eq(consentConfirmations.id, id),
        eq(consentConfirmations.status, 'pending'),
        sql`${consentConfirmations.expiresAt} > ${now}`,
      ),
    )
    .returning({ id: consentConfirmations.id });
  return rows.length > 0;
}

/** Expiry is a property of each row, set from its store's setting when the confirmation was requested. */
export async function expireConfirmations(d: Db, storeId: string, now: number): Promise<number> {
  const rows = await d
    .update(consentConfirmations)
    .set({ status: 'expired', resolvedAt: now })
    .where(
      and(
        eq(consentConfirmations.storeId, storeId),
        eq(consentConfirmations.status, 'pending'),
        lte(consentConfirmations.expiresAt, now),
      ),
    )
    .returning({ id: consentConfirmations.id });
  return rows.length;
}
