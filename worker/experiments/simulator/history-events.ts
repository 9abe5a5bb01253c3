import type { CatalogFacts, HistoryContact, HistoryEvent, HistoryItem, HistoryOrder, Period } from '../../db/queries/simulation-history';
import { buildOrderSnapshot } from '../../contacts/runtime/journey-events';
import type { CartSnapshot, DomainEvent, OrderSnapshot } from '../../journeys/events';

export type History = { contacts: HistoryContact[]; events: HistoryEvent[]; orders: HistoryOrder[]; items: HistoryItem[]; catalog: CatalogFacts[] };

type CartLike = { items?: { productId?: unknown; variationId?: unknown; quantity?: unknown; price?: unknown }[]; value?: unknown; currency?: unknown };

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/** The cart as the collector stored it, in the journey's shape (no restore link: nothing is sent). */
function cartOf(raw: unknown): CartSnapshot | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const cart = raw as CartLike;
  const lines = (cart.items ?? []).map((i) => ({
    productId: num(i.productId),
    ...(num(i.variationId) > 0 ? { variationId: num(i.variationId) } : {}),
    quantity: num(i.quantity),
    price: num(i.price),
  }));
  return {
    value: num(cart.value),
    ...(typeof cart.currency === 'string' ? { currency: cart.currency } : {}),
    itemCount: lines.reduce((s, l) => s + l.quantity, 0),
    lines,
  };
}

function storefrontEvent(e: HistoryEvent): DomainEvent | null {
  const base = { id: e.key, at: e.at };
  const visitorId = e.properties.visitorId;
  switch (e.type) {
    case 'cart_updated': {
      const cart = cartOf(e.properties.cart);
      return cart ? { ...base, type: 'cart_updated', properties: { visitorId }, cart } : null;
    }
    case 'checkout_started': {
      const cart = cartOf(e.properties.cart);
      return { ...base, type: 'checkout_started', properties: { visitorId }, ...(cart ? { cart } : {}) };
    }
    case 'product_view':
    case 'page_view':
      return { ...base, type: e.type, properties: { visitorId, productId: e.properties.productId ?? null } };
    case 'identify':
      return { ...base, type: 'identified', properties: { visitorId, source: 'history' } };
    default:
      return null;
  }
}

function orderSnapshot(o: HistoryOrder, lines: HistoryItem[], catalog: Map<number, CatalogFacts>): OrderSnapshot {
  return buildOrderSnapshot(o, lines, (id) => catalog.get(id));
}

/** An order's life as the journeys saw it: placed, then paid, cancelled or refunded when that happened in the period. */
function orderEvents(o: HistoryOrder, order: OrderSnapshot, p: Period): DomainEvent[] {
  const key = `sim:order:${o.id}`;
  const props = { orderId: o.id, total: o.total, status: o.status };
  const out: DomainEvent[] = [{ id: `${key}:placed`, type: 'order.placed', at: o.createdAt, properties: props, order }];
  const later = (at: number | null): at is number => at !== null && at >= p.from && at < p.to;
  if (later(o.paidAt)) out.push({ id: `${key}:paid`, type: 'order.paid', at: o.paidAt, properties: props, order });
  if (later(o.cancelledAt)) out.push({ id: `${key}:cancelled`, type: 'order.cancelled', at: o.cancelledAt, properties: { orderId: o.id } });
  if (later(o.refundedAt)) {
    const properties = { orderId: o.id, refundId: null, amount: o.refundedTotal, full: o.refundedTotal >= o.total };
    out.push({ id: `${key}:refunded`, type: 'order.refunded', at: o.refundedAt, properties });
  }
  return out;
}

/** Every contact's replayable events in time order (ties keep the recorded order). */
export function eventsByContact(h: History, p: Period): Map<string, DomainEvent[]> {
  const out = new Map<string, DomainEvent[]>();
  const push = (contactId: string, e: DomainEvent) => (out.get(contactId) ?? out.set(contactId, []).get(contactId)!).push(e);
  for (const c of h.contacts) {
    if (c.wooCustomerId !== null && c.createdAt >= p.from && c.createdAt < p.to) {
      push(c.id, { id: `sim:customer:${c.id}`, type: 'customer.created', at: c.createdAt, properties: { wooCustomerId: c.wooCustomerId } });
    }
  }
  for (const e of h.events) {
    const event = storefrontEvent(e);
    if (event) push(e.contactId, event);
  }
  const catalog = new Map(h.catalog.map((c) => [c.id, c]));
  const lines = new Map<number, HistoryItem[]>();
  for (const item of h.items) (lines.get(item.orderId) ?? lines.set(item.orderId, []).get(item.orderId)!).push(item);
  for (const o of h.orders) {
    if (!o.contactId) continue;
    for (const e of orderEvents(o, orderSnapshot(o, lines.get(o.id) ?? [], catalog), p)) push(o.contactId, e);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}
