import { and, asc, count, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../client';
import { carts, consents, contacts, events, ingestFailures, orderItems, orders, visitors, webhookDeliveries } from '../schema';

/** Read models for the admin API. Every query takes the store id and filters on it first. */

export type ContactRow = typeof contacts.$inferSelect;
export type ConsentRow = typeof consents.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type CartRow = typeof carts.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type OrderWithItems = OrderRow & { items: OrderItemRow[] };

export async function listContacts(d: Db, storeId: string, limit: number): Promise<ContactRow[]> {
  return d
    .select()
    .from(contacts)
    .where(eq(contacts.storeId, storeId))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(limit)
    .all();
}

export async function contactVisitorIds(d: Db, storeId: string, contactId: string): Promise<string[]> {
  const rows = await d
    .select({ visitorId: visitors.visitorId })
    .from(visitors)
    .where(and(eq(visitors.storeId, storeId), eq(visitors.contactId, contactId)))
    .all();
  return rows.map((r) => r.visitorId);
}

/** The whole ledger, oldest first: the audit trail of every grant and withdrawal. */
export async function consentLedger(d: Db, storeId: string, contactId: string): Promise<ConsentRow[]> {
  return d
    .select()
    .from(consents)
    .where(and(eq(consents.storeId, storeId), eq(consents.contactId, contactId)))
    .orderBy(asc(consents.occurredAt), asc(consents.id))
    .all();
}

/** The latest row per (channel, purpose) is the one in force. */
export function consentsInForce(ledger: ConsentRow[]): ConsentRow[] {
  const latest = new Map<string, ConsentRow>();
  for (const row of ledger) latest.set(`${row.channel}:${row.purpose}`, row);
  return [...latest.values()];
}

export async function listOrders(d: Db, storeId: string, contactId: string | undefined, limit: number): Promise<OrderWithItems[]> {
  const where = contactId
    ? and(eq(orders.storeId, storeId), eq(orders.contactId, contactId))
    : eq(orders.storeId, storeId);
  const rows = await d.select().from(orders).where(where).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit).all();
  if (rows.length === 0) return [];
  const items = await d
    .select()
    .from(orderItems)
    .where(and(eq(orderItems.storeId, storeId), inArray(orderItems.orderId, rows.map((o) => o.id))))
    .orderBy(asc(orderItems.orderId), asc(orderItems.lineId))
    .all();
  return rows.map((o) => ({ ...o, items: items.filter((i) => i.orderId === o.id) }));
}

/**
 * The contact's most recent cart: one linked directly, or one still keyed only by a visitor id
 * the contact has been stitched to.
 */
export async function latestCart(d: Db, storeId: string, contactId: string, visitorIds: string[]): Promise<CartRow | undefined> {
  const owner = visitorIds.length
    ? or(eq(carts.contactId, contactId), inArray(carts.visitorId, visitorIds))
    : eq(carts.contactId, contactId);
  return d
    .select()
    .from(carts)
    .where(and(eq(carts.storeId, storeId), owner))
    .orderBy(desc(carts.snapshotAt))
    .limit(1)
    .get();
}

/** Newest first; includes anonymous events of visitors later identified as this contact. */
export async function recentEvents(
  d: Db,
  storeId: string,
  contactId: string,
  visitorIds: string[],
  limit: number,
): Promise<EventRow[]> {
  const owner = visitorIds.length
    ? or(eq(events.contactId, contactId), inArray(events.visitorId, visitorIds))
    : eq(events.contactId, contactId);
  return d
    .select()
    .from(events)
    .where(and(eq(events.storeId, storeId), owner))
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(limit)
    .all();
}

export type WebhookHealth = {
  lastDelivery: typeof webhookDeliveries.$inferSelect | null;
  byStatus: Record<string, number>;
  byTopic: Record<string, number>;
  failures: { total: number; recent: (typeof ingestFailures.$inferSelect)[] };
  failedDeliveries: (typeof webhookDeliveries.$inferSelect)[];
};

export async function webhookHealth(d: Db, storeId: string, recentLimit: number): Promise<WebhookHealth> {
  const inStore = eq(webhookDeliveries.storeId, storeId);
  const [last, statusRows, topicRows, failureTotal, failureRows, failedDeliveries] = await Promise.all([
    d.select().from(webhookDeliveries).where(inStore).orderBy(desc(webhookDeliveries.receivedAt)).limit(1).get(),
    d.select({ key: webhookDeliveries.status, n: count() }).from(webhookDeliveries).where(inStore).groupBy(webhookDeliveries.status).all(),
    d.select({ key: webhookDeliveries.topic, n: count() }).from(webhookDeliveries).where(inStore).groupBy(webhookDeliveries.topic).all(),
    d.select({ n: count() }).from(ingestFailures).where(eq(ingestFailures.storeId, storeId)).get(),
    d
      .select()
      .from(ingestFailures)
      .where(eq(ingestFailures.storeId, storeId))
      .orderBy(desc(ingestFailures.failedAt), desc(ingestFailures.id))
      .limit(recentLimit)
      .all(),
    d
      .select()
      .from(webhookDeliveries)
      .where(and(inStore, eq(webhookDeliveries.status, 'failed')))
      .orderBy(desc(webhookDeliveries.receivedAt))
      .limit(recentLimit)
      .all(),
  ]);
  return {
    lastDelivery: last ?? null,
    byStatus: Object.fromEntries(statusRows.map((r) => [r.key, r.n])),
    byTopic: Object.fromEntries(topicRows.map((r) => [r.key, r.n])),
    failures: { total: failureTotal?.n ?? 0, recent: failureRows },
    failedDeliveries,
  };
}

export type StoreCounts = {
  events: number;
  eventsBySource: Record<string, number>;
  orders: number;
  contacts: number;
};

/** Row counts the benchmark and e2e harness compare against what they sent. */
export async function storeCounts(d: Db, storeId: string): Promise<StoreCounts> {
  const [bySource, o, c] = await Promise.all([
    d.select({ source: events.source, n: count() }).from(events).where(eq(events.storeId, storeId)).groupBy(events.source).all(),
    d.select({ n: count() }).from(orders).where(eq(orders.storeId, storeId)).get(),
    d.select({ n: count() }).from(contacts).where(eq(contacts.storeId, storeId)).get(),
  ]);
  return {
    events: bySource.reduce((sum, r) => sum + r.n, 0),
    eventsBySource: Object.fromEntries(bySource.map((r) => [r.source, r.n])),
    orders: o?.n ?? 0,
    contacts: c?.n ?? 0,
  };
}
