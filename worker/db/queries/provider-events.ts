import { and, eq, gte, lt, ne, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client';
import { consents, messages, providerEvents, type ProviderEventKind } from '../schema';

export type ProviderEvent = typeof providerEvents.$inferSelect;
export type NewProviderEvent = typeof providerEvents.$inferInsert;

/**
 * The pseudo contact id under which messages to the store's admin are recorded (reputation alerts):
 * they are not marketing and never count as sends in the rates.
 */
export const STORE_ADMIN_RECIPIENT = 'store-admin';

function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : String(err);
  return /UNIQUE constraint failed/i.test(text);
}

/**
 * Stores the event and its effects in one transaction: if the (store, dedupe key) is already taken the
 * whole batch rolls back, so a retried webhook changes nothing. Returns false for such a duplicate.
 */
export async function storeProviderEvent(d: Db, row: NewProviderEvent, effects: BatchItem<'sqlite'>[]): Promise<boolean> {
  try {
    await d.batch([d.insert(providerEvents).values(row), ...effects]);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function findProviderEvent(d: Db, storeId: string, dedupeKey: string): Promise<ProviderEvent | undefined> {
  return d
    .select()
    .from(providerEvents)
    .where(and(eq(providerEvents.storeId, storeId), eq(providerEvents.dedupeKey, dedupeKey)))
    .get();
}

export async function listProviderEvents(d: Db, storeId: string, limit = 100): Promise<ProviderEvent[]> {
  return d.select().from(providerEvents).where(eq(providerEvents.storeId, storeId)).orderBy(providerEvents.id).limit(limit).all();
}

export type Window = { since: number; until: number };
export type StreamCount = { stream: string; count: number };
export type OutcomeCount = { stream: string; kind: ProviderEventKind; count: number };

/** Postmark's default transactional stream, where sends outside flows (confirmations, alerts) go. */
export const TRANSACTIONAL_STREAM = 'outbound';

/**
 * Email messages handed to the provider in the window, by stream. A message takes the stream its
 * provider events name; until one does, a flow's message is on the store's marketing stream and a
 * message outside any flow (a double opt-in confirmation) on the transactional one.
 */
export async function countSendsByStream(d: Db, storeId: string, w: Window, marketingStream: string): Promise<StreamCount[]> {
  const streamOf = sql<string>`coalesce((select ${providerEvents.stream} from ${providerEvents}
    where ${providerEvents.storeId} = ${messages.storeId} and ${providerEvents.messageId} = ${messages.id} limit 1),
    case when ${messages.flowId} is null then ${TRANSACTIONAL_STREAM} else ${marketingStream} end)`;
  return d
    .select({ stream: streamOf, count: sql<number>`count(*)` })
    .from(messages)
    .where(
      and(
        eq(messages.storeId, storeId),
        eq(messages.channel, 'email'),
        eq(messages.status, 'sent'),
        ne(messages.contactId, STORE_ADMIN_RECIPIENT),
        gte(messages.sentAt, w.since),
        lt(messages.sentAt, w.until),
      ),
    )
    .groupBy(streamOf)
    .all();
}

/** Distinct messages per outcome (three opens of one email are one open), by stream. */
export async function countOutcomesByStream(d: Db, storeId: string, w: Window): Promise<OutcomeCount[]> {
  const messageKey = sql`coalesce(${providerEvents.messageId}, ${providerEvents.providerMessageId}, ${providerEvents.dedupeKey})`;
  return d
    .select({ stream: providerEvents.stream, kind: providerEvents.kind, count: sql<number>`count(distinct ${messageKey})` })
    .from(providerEvents)
    .where(and(eq(providerEvents.storeId, storeId), gte(providerEvents.occurredAt, w.since), lt(providerEvents.occurredAt, w.until)))
    .groupBy(providerEvents.stream, providerEvents.kind)
    .all();
}

/** Contacts who withdrew email marketing through our own unsubscribe link or page in the window. */
export async function countOwnUnsubscribes(d: Db, storeId: string, w: Window): Promise<number> {
  const row = await d
    .select({ count: sql<number>`count(distinct ${consents.contactId})` })
    .from(consents)
    .where(
      and(
        eq(consents.storeId, storeId),
        eq(consents.channel, 'email'),
        eq(consents.purpose, 'marketing'),
        eq(consents.granted, false),
        eq(consents.source, 'unsubscribe'),
        gte(consents.occurredAt, w.since),
        lt(consents.occurredAt, w.until),
      ),
    )
    .get();
  return row?.count ?? 0;
}

/**
 * For erasure: the contact's provider events lose everything that names them (contact, address, the
 * body, a fallback dedupe key built from the address) but stay counted in the store's rates.
 */
export async function anonymizeProviderEvents(d: Db, storeId: string, contactId: string, email: string | null): Promise<void> {
  const whose = email ? or(eq(providerEvents.contactId, contactId), eq(providerEvents.recipient, email)) : eq(providerEvents.contactId, contactId);
  await d
    .update(providerEvents)
    .set({ contactId: null, recipient: null, details: {}, dedupeKey: sql`'erased:' || ${providerEvents.id}` })
    .where(and(eq(providerEvents.storeId, storeId), whose));
}
