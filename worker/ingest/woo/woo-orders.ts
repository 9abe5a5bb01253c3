import type { ContactDomainEvent, OrderLine } from '../../contacts/domain-events';
import type { NewOrder, NewOrderItem } from '../../db/queries/orders';
import type { WooOrder } from './woo-schemas';

const ATTRIBUTION_PREFIX = '_wc_order_attribution_';

/** Statuses of carts that never became orders (block checkout drafts). */
export const NOT_PLACED: ReadonlySet<string> = new Set(['checkout-draft']);

/**
 * The id of one fact about an order (`placed`, `paid`, ...). The plugin's signed order event and the order webhook
 * name the placement with the same id, so whichever arrives second is dropped by every sink.
 */
export function orderFactId(orderId: number, fact: string): string {
  return `woo:order:${orderId}:${fact}`;
}

export type MappedOrder = { order: Omit<NewOrder, 'contactId'>; items: NewOrderItem[] };

/** The version of an order: date_modified_gmt, or its creation when WooCommerce sent no modification date. */
export function orderVersion(o: WooOrder): number {
  const version = o.date_modified_gmt ?? o.date_created_gmt;
  if (version === null) throw new Error(`order ${o.id} carries neither date_modified_gmt nor date_created_gmt`);
  return version;
}

/** Pure: one WooCommerce order payload → the order row and its lines. `at` is when the delivery arrived. */
export function mapOrder(storeId: string, o: WooOrder, at: number, restored: boolean): MappedOrder {
  const version = orderVersion(o);
  const refundedTotal = o.refunds.reduce((sum, r) => sum + Math.abs(r.total ?? 0), 0);
  const refunded = o.status === 'refunded' || o.refunds.length > 0;
  const order: MappedOrder['order'] = {
    storeId,
    id: o.id,
    number: o.number === null || o.number === undefined ? null : String(o.number),
    wooCustomerId: o.customer_id > 0 ? o.customer_id : null,
    status: o.status,
    currency: o.currency,
    total: o.total ?? 0,
    discountTotal: o.discount_total,
    refundedTotal: round2(refundedTotal),
    couponCodes: o.coupon_lines.map((c) => c.code.toLowerCase()),
    attribution: attribution(o.meta_data),
    createdAt: o.date_created_gmt ?? version,
    paidAt: o.date_paid_gmt,
    completedAt: o.date_completed_gmt,
    // WooCommerce records no refund or cancellation time: the first version that shows one stands for it.
    refundedAt: refunded ? version : null,
    cancelledAt: o.status === 'cancelled' ? version : null,
    sourceModifiedAt: version,
    updatedAt: at,
    ...(restored ? { deletedAt: null } : {}),
  };
  const items: NewOrderItem[] = o.line_items.map((line) => ({
    storeId,
    orderId: o.id,
    lineId: line.id,
    productId: line.product_id,
    variationId: line.variation_id > 0 ? line.variation_id : null,
    name: line.name,
    sku: line.sku,
    quantity: line.quantity,
    price: line.price ?? 0,
    total: line.total ?? 0,
  }));
  return { order, items };
}

function attribution(meta: WooOrder['meta_data']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of meta) {
    if (!key.startsWith(ATTRIBUTION_PREFIX) || value === null || value === undefined) continue;
    out[key.slice(ATTRIBUTION_PREFIX.length)] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Pure: the contact events this order state implies. Each id names the fact (order 17 was paid), not the
 * delivery that revealed it, so every later version of the order implies the same ids and sinks keep one copy:
 * `order.paid` is recorded once, by the first version that shows the payment.
 */
export function orderEvents(storeId: string, contactId: string, o: WooOrder): ContactDomainEvent[] {
  const version = orderVersion(o);
  const base = { storeId, contactId, orderId: o.id };
  const prefix = `woo:order:${o.id}`;
  const facts = {
    number: o.number === null || o.number === undefined ? null : String(o.number),
    total: o.total ?? 0,
    currency: o.currency,
    couponCodes: o.coupon_lines.map((c) => c.code.toLowerCase()),
    lines: o.line_items.map(orderLine),
  };
  const events: ContactDomainEvent[] = [];
  if (NOT_PLACED.has(o.status)) return events;
  const placedAt = o.date_created_gmt ?? version;
  events.push({ ...base, ...facts, id: orderFactId(o.id, 'placed'), type: 'order.placed', occurredAt: placedAt, status: o.status });
  if (o.date_paid_gmt !== null) {
    events.push({ ...base, ...facts, id: `${prefix}:paid`, type: 'order.paid', occurredAt: o.date_paid_gmt });
  }
  if (o.date_completed_gmt !== null) {
    events.push({ ...base, ...facts, id: `${prefix}:completed`, type: 'order.completed', occurredAt: o.date_completed_gmt });
  }
  events.push(...refundEvents(base, prefix, o, version));
  if (o.status === 'cancelled') {
    events.push({ ...base, id: `${prefix}:cancelled`, type: 'order.cancelled', occurredAt: version });
  }
  return events;
}

function refundEvents(
  base: { storeId: string; contactId: string; orderId: number },
  prefix: string,
  o: WooOrder,
  version: number,
): ContactDomainEvent[] {
  const full = o.status === 'refunded';
  const events: ContactDomainEvent[] = o.refunds.map((r) => ({
    ...base,
    id: `${prefix}:refund:${r.id}`,
    type: 'order.refunded',
    occurredAt: version,
    refundId: r.id,
    amount: Math.abs(r.total ?? 0),
    full,
  }));
  if (full && events.length === 0) {
    events.push({ ...base, id: `${prefix}:refunded`, type: 'order.refunded', occurredAt: version, refundId: null, amount: o.total ?? 0, full });
  }
  return events;
}

function orderLine(line: WooOrder['line_items'][number]): OrderLine {
  return {
    productId: line.product_id,
    variationId: line.variation_id > 0 ? line.variation_id : null,
    quantity: line.quantity,
    price: line.price ?? 0,
    total: line.total ?? 0,
  };
}
