import { and, asc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { contacts, events, orderItems, orders, products } from '../schema';
import { chunks, IDS_PER_STATEMENT } from './batching';

/** Behavioural event types a flow can react to, as the collector stores them. */
const REPLAYED_EVENTS = ['cart_updated', 'checkout_started', 'product_view', 'page_view', 'identify'];

export type HistoryEvent = { contactId: string; key: string; type: string; properties: Record<string, unknown>; at: number };
export type HistoryOrder = typeof orders.$inferSelect;
export type HistoryItem = { orderId: number; productId: number; variationId: number | null; quantity: number; price: number };
export type HistoryContact = Pick<
  typeof contacts.$inferSelect,
  'id' | 'email' | 'phone' | 'status' | 'timezone' | 'geoTimezone' | 'locale' | 'birthday' | 'wooCustomerId' | 'createdAt'
>;
export type CatalogFacts = { id: number; categoryIds: number[]; lifespanDays: number | null };

export type Period = { from: number; to: number };

/** The store's recorded storefront events of identified contacts in [from, to), oldest first, at most `limit`. */
export async function historyEvents(d: Db, storeId: string, p: Period, limit: number): Promise<HistoryEvent[]> {
  const rows = await d
    .select({ contactId: events.contactId, key: events.eventKey, type: events.type, properties: events.properties, at: events.occurredAt })
    .from(events)
    .where(and(eq(events.storeId, storeId), isNotNull(events.contactId), inArray(events.type, REPLAYED_EVENTS), gte(events.occurredAt, p.from), lt(events.occurredAt, p.to)))
    .orderBy(asc(events.occurredAt), asc(events.id))
    .limit(limit)
    .all();
  return rows.flatMap((r) => (r.contactId ? [{ ...r, contactId: r.contactId }] : []));
}

/** Orders of known contacts placed in [from, to), with their lines. */
export async function historyOrders(d: Db, storeId: string, p: Period, limit: number): Promise<{ orders: HistoryOrder[]; items: HistoryItem[] }> {
  const found = await d
    .select()
    .from(orders)
    .where(and(eq(orders.storeId, storeId), isNotNull(orders.contactId), gte(orders.createdAt, p.from), lt(orders.createdAt, p.to)))
    .orderBy(asc(orders.createdAt))
    .limit(limit)
    .all();
  const items: HistoryItem[] = [];
  for (const ids of chunks(found.map((o) => o.id), IDS_PER_STATEMENT)) {
    items.push(
      ...(await d
        .select({ orderId: orderItems.orderId, productId: orderItems.productId, variationId: orderItems.variationId, quantity: orderItems.quantity, price: orderItems.price })
        .from(orderItems)
        .where(and(eq(orderItems.storeId, storeId), inArray(orderItems.orderId, ids)))
        .all()),
    );
  }
  return { orders: found, items };
}

/** The contacts the history is about, plus the ones who became customers in the period (welcome flows). */
export async function historyContacts(d: Db, storeId: string, ids: string[], p: Period, limit: number): Promise<HistoryContact[]> {
  const columns = {
    id: contacts.id, email: contacts.email, phone: contacts.phone, status: contacts.status, timezone: contacts.timezone,
    geoTimezone: contacts.geoTimezone, locale: contacts.locale, birthday: contacts.birthday, wooCustomerId: contacts.wooCustomerId, createdAt: contacts.createdAt,
  };
  const byId = new Map<string, HistoryContact>();
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    for (const c of await d.select(columns).from(contacts).where(and(eq(contacts.storeId, storeId), inArray(contacts.id, part))).all()) byId.set(c.id, c);
  }
  const created = await d
    .select(columns)
    .from(contacts)
    .where(and(eq(contacts.storeId, storeId), gte(contacts.createdAt, p.from), lt(contacts.createdAt, p.to)))
    .limit(limit)
    .all();
  for (const c of created) byId.set(c.id, c);
  return [...byId.values()];
}

/** Categories and lifespans of the catalogue, for the order lines flows test. */
export async function catalogFacts(d: Db, storeId: string): Promise<CatalogFacts[]> {
  const rows = await d.select({ id: products.id, categories: products.categories, lifespanDays: products.lifespanDays }).from(products).where(eq(products.storeId, storeId)).all();
  return rows.map((r) => ({ id: r.id, categoryIds: r.categories.map((c) => c.id), lifespanDays: r.lifespanDays }));
}
