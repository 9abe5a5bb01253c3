import { and, desc, eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client';
import { consents, contacts } from '../schema';
import { runBatch } from './batching';

export type SuppressedStatus = 'unsubscribed' | 'bounced' | 'complained';
export type SuppressionReason = SuppressedStatus | 'unknown_contact';

/** A stronger reason is never overwritten by a weaker one: a complaint stays a complaint. */
const WEAKER: Record<SuppressedStatus, ('active' | SuppressedStatus)[]> = {
  unsubscribed: ['active'],
  bounced: ['active', 'unsubscribed'],
  complained: ['active', 'unsubscribed', 'bounced'],
};

/**
 * Why email must not go to this contact at all (transactional-like reminders included), or null.
 * Consent for marketing is a separate question: see `currentConsent`.
 */
export async function emailSuppression(d: Db, storeId: string, contactId: string): Promise<SuppressionReason | null> {
  const row = await d
    .select({ status: contacts.status })
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId)))
    .get();
  if (!row) return 'unknown_contact';
  return row.status === 'active' ? null : row.status;
}

export async function isSuppressed(d: Db, storeId: string, contactId: string): Promise<boolean> {
  return (await emailSuppression(d, storeId, contactId)) !== null;
}

export type ProviderSuppression = { storeId: string; contactId: string; status: SuppressedStatus; occurredAt: number; now: number };

/**
 * Statements that suppress a contact on the provider's word and withdraw email marketing consent in the
 * ledger (source `provider`). Meant to run in one batch with the provider event that caused them.
 */
export function providerSuppressionStatements(d: Db, s: ProviderSuppression): BatchItem<'sqlite'>[] {
  return [
    d
      .update(contacts)
      .set({ status: s.status, updatedAt: s.now })
      .where(and(eq(contacts.storeId, s.storeId), eq(contacts.id, s.contactId), inArray(contacts.status, WEAKER[s.status]))),
    d.insert(consents).values({
      storeId: s.storeId,
      contactId: s.contactId,
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'provider',
      occurredAt: s.occurredAt,
    }),
  ];
}

/**
 * Undoes a suppression that came from the provider when the provider reactivates the address: only when
 * the latest email marketing row is still the provider's withdrawal (an unsubscribe the contact made
 * through us, or a complaint, stays). Consent comes back only if it was granted before the withdrawal.
 */
export async function providerReactivationStatements(
  d: Db,
  storeId: string,
  contactId: string,
  occurredAt: number,
  now: number,
): Promise<BatchItem<'sqlite'>[]> {
  const [latest, before] = await d
    .select()
    .from(consents)
    .where(and(eq(consents.storeId, storeId), eq(consents.contactId, contactId), eq(consents.channel, 'email'), eq(consents.purpose, 'marketing')))
    .orderBy(desc(consents.occurredAt), desc(consents.id))
    .limit(2)
    .all();
  if (!latest || latest.granted || latest.source !== 'provider') return [];
  if ((await emailSuppression(d, storeId, contactId)) === 'complained') return [];
  const lift = d
    .update(contacts)
    .set({ status: 'active', updatedAt: now })
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId), inArray(contacts.status, ['bounced', 'unsubscribed'])));
  if (!before?.granted) return [lift];
  const restored = { storeId, contactId, channel: 'email' as const, purpose: 'marketing' as const, granted: true, textVersion: before.textVersion };
  return [lift, d.insert(consents).values({ ...restored, source: 'provider', occurredAt })];
}

/**
 * Applies a provider suppression outside a webhook, e.g. when Postmark refused a send because the
 * recipient is inactive (its ErrorCode 406; `deliverEmail` reports status `inactive`).
 */
export async function suppressContact(d: Db, s: ProviderSuppression): Promise<void> {
  await runBatch(d, providerSuppressionStatements(d, s));
}
