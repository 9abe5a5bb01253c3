import { and, desc, eq, gte, inArray, isNotNull, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { standingPaidOrders } from './order-history';
import { contacts, events, messageClicks, messages, orderItems, orders, providerEvents, sendDecisions, storePredictions } from '../schema';
import type { StorePredictions } from './predictions';

/** Message statuses that reached (or are reaching) the contact, and so count against caps. */
export const COUNTED_STATUSES = ['queued', 'sending', 'sent', 'outbox'] as const;

export type CountedSend = { idempotencyKey: string; channel: 'email' | 'sms'; flowId: string | null; createdAt: number };

/**
 * Marketing messages to a contact since `since`: everything a flow handed over, minus sends the
 * guardrails recorded as transactional-like. `excludeKey` leaves out the send being decided, so a
 * retried action is never capped by its own earlier row.
 */
export async function countedSendsSince(d: Db, storeId: string, contactId: string, since: number, excludeKey: string): Promise<CountedSend[]> {
  return countedSendsQuery(d).all({ storeId, contactId, since, excludeKey });
}

const countedSendsQuery = prepared((d) =>
  d
    .select({ idempotencyKey: messages.idempotencyKey, channel: messages.channel, flowId: messages.flowId, createdAt: messages.createdAt })
    .from(messages)
    .leftJoin(sendDecisions, and(eq(sendDecisions.storeId, messages.storeId), eq(sendDecisions.idempotencyKey, messages.idempotencyKey)))
    .where(
      and(
        eq(messages.storeId, sql.placeholder('storeId')),
        eq(messages.contactId, sql.placeholder('contactId')),
        gte(messages.createdAt, sql.placeholder('since')),
        inArray(messages.status, [...COUNTED_STATUSES]),
        ne(messages.idempotencyKey, sql.placeholder('excludeKey')),
        // Flow sends count unless recorded as transactional; other messages (confirmations) only when recorded as marketing.
        or(eq(sendDecisions.transactional, false), and(isNull(sendDecisions.transactional), isNotNull(messages.flowId))),
      ),
    )
    .orderBy(messages.createdAt)
    .prepare(),
);

/** Event types that are not engagement: the merchant completes, refunds, cancels; a STOP opts out. */
/** Events that say nothing about the contact being alive: our own sends and schedules, refunds, opt-outs. */
export const NOT_ACTIVITY = [
  'order.completed', 'order.refunded', 'order.cancelled', 'product.changed', 'message.sent', 'message.bounced', 'sms.stop',
  'date.reached', 'segment.entered', 'segment.exited',
];
const ENGAGEMENT_KINDS = ['open', 'click'] as const;
const ENGAGEMENT_EVENTS = ['message.opened', 'message.clicked'];

/**
 * The contact's latest open, click, visit or order: storefront and WooCommerce events (both ingestion
 * paths write `events`), provider opens/clicks, and our own click redirects. Null when there is none.
 */
export async function lastActivityAt(d: Db, storeId: string, contactId: string): Promise<number | null> {
  const [fromEvents, fromProvider, fromClicks] = await d.batch([
    d
      .select({ at: sql<number | null>`max(${events.occurredAt})` })
      .from(events)
      .where(and(eq(events.storeId, storeId), eq(events.contactId, contactId), notInArray(events.type, NOT_ACTIVITY))),
    d
      .select({ at: sql<number | null>`max(${providerEvents.occurredAt})` })
      .from(providerEvents)
      .where(and(eq(providerEvents.storeId, storeId), eq(providerEvents.contactId, contactId), inArray(providerEvents.kind, [...ENGAGEMENT_KINDS]))),
    d
      .select({ at: sql<number | null>`max(${messageClicks.clickedAt})` })
      .from(messageClicks)
      .where(and(eq(messageClicks.storeId, storeId), eq(messageClicks.contactId, contactId))),
  ]);
  const times = [fromEvents[0]?.at, fromProvider[0]?.at, fromClicks[0]?.at].filter((t): t is number => typeof t === 'number');
  return times.length > 0 ? Math.max(...times) : null;
}

/**
 * When the contact opened or clicked, newest first (at most `limit` of each source): provider
 * opens/clicks and our own pixel and click redirects (first open, first click per link), which
 * send-time optimization reads the hours of; with the store's learnt hours (nightly run) from the
 * same round trip.
 */
export async function engagementTimes(d: Db, storeId: string, contactId: string, limit = 100): Promise<{ times: number[]; learned: StorePredictions | undefined }> {
  const [provider, tracked, learned] = await d.batch([
    providerEngagementQuery(d, storeId, contactId, limit),
    trackedEngagementQuery(d, storeId, contactId, limit),
    d.select().from(storePredictions).where(eq(storePredictions.storeId, storeId)).limit(1),
  ]);
  return { times: [...provider, ...tracked].map((r) => r.at), learned: learned[0] };
}

/** The contact's half of `engagementTimes`, for a batch of sends that reads the store's learnt hours once. */
export async function contactEngagementTimes(d: Db, storeId: string, contactId: string, limit = 100): Promise<number[]> {
  const [provider, tracked] = await d.batch([providerEngagementQuery(d, storeId, contactId, limit), trackedEngagementQuery(d, storeId, contactId, limit)]);
  return [...provider, ...tracked].map((r) => r.at);
}

const providerEngagementQuery = (d: Db, storeId: string, contactId: string, limit: number) =>
  d
    .select({ at: providerEvents.occurredAt })
    .from(providerEvents)
    .where(and(eq(providerEvents.storeId, storeId), eq(providerEvents.contactId, contactId), inArray(providerEvents.kind, [...ENGAGEMENT_KINDS])))
    .orderBy(desc(providerEvents.occurredAt))
    .limit(limit);

const trackedEngagementQuery = (d: Db, storeId: string, contactId: string, limit: number) =>
  d
    .select({ at: events.occurredAt })
    .from(events)
    .where(and(eq(events.storeId, storeId), eq(events.contactId, contactId), inArray(events.type, ENGAGEMENT_EVENTS)))
    .orderBy(desc(events.occurredAt))
    .limit(limit);

/** An order paid, or placed and awaiting payment (cheque, transfer, cash on delivery), since `since`. */
export async function orderSince(d: Db, storeId: string, contactId: string, since: number): Promise<boolean> {
  return (await orderSinceQuery(d).all({ storeId, contactId, since })).length > 0;
}

const orderSinceQuery = prepared((d) => {
  const since = sql.placeholder('since');
  const placed = and(gte(orders.createdAt, since), ne(orders.status, 'checkout-draft'));
  const paid = and(isNotNull(orders.paidAt), gte(orders.paidAt, since));
  return d
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.storeId, sql.placeholder('storeId')), eq(orders.contactId, sql.placeholder('contactId')), or(paid, placed), isNull(orders.deletedAt)))
    .limit(1)
    .prepare();
});

/** Products (and variations) the contact paid for since `since`. */
export async function productsBoughtSince(d: Db, storeId: string, contactId: string, since: number): Promise<Set<number>> {
  const rows = await d
    .select({ productId: orderItems.productId, variationId: orderItems.variationId })
    .from(orderItems)
    .innerJoin(orders, and(eq(orders.storeId, orderItems.storeId), eq(orders.id, orderItems.orderId)))
    .where(and(eq(orderItems.storeId, storeId), standingPaidOrders(storeId, contactId), gte(orders.paidAt, since), isNull(orders.refundedAt)))
    .all();
  return new Set(rows.flatMap((r) => (r.variationId ? [r.productId, r.variationId] : [r.productId])));
}

/** The contact's own creation time: a contact nobody ever saw act counts as inactive since then. */
export async function contactCreatedAt(d: Db, storeId: string, contactId: string): Promise<number | null> {
  const row = await d
    .select({ at: contacts.createdAt })
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), eq(contacts.id, contactId)))
    .get();
  return row?.at ?? null;
}

/** The last time the SMS provider refused a message because the number texted STOP. */
export async function lastSmsOptOutAt(d: Db, storeId: string, contactId: string): Promise<number | null> {
  const row = await d
    .select({ at: sql<number | null>`max(${messages.createdAt})` })
    .from(messages)
    .where(and(eq(messages.storeId, storeId), eq(messages.contactId, contactId), eq(messages.channel, 'sms'), eq(messages.status, 'opted_out')))
    .get();
  return row?.at ?? null;
}
