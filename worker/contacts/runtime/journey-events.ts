import { learnedIntervals } from '../../db/queries/predictions';
import type { Db } from '../../db/client';
import { findProducts } from '../../db/queries/order-history';
import type { Store } from '../../db/queries/stores';
import { assertNever } from '../../journeys/actions';
import type { CartSnapshot, DomainEvent, OrderSnapshot } from '../../journeys/events';
import { signCartToken } from '../../lib/cart-token';
import type { ContactDomainEvent, OrderLine } from '../domain-events';
import type { StorefrontCart } from '../storefront-events';

/** How long a cart-restore link in a reminder keeps working. */
const RESTORE_LINK_DAYS = 30;

type OrderEvent = Extract<ContactDomainEvent, { lines: OrderLine[] }>;

/** `<siteUrl>/?nightshift_cart=<token>`: the plugin bridge verifies the token and refills the cart. */
export async function cartRestoreUrl(store: Store, visitorId: string, cart: StorefrontCart, at: number): Promise<string | undefined> {
  if (!store.siteUrl || cart.items.length === 0) return undefined;
  const token = await signCartToken(store.webhookSecret, {
    storeId: store.id,
    visitorId,
    items: cart.items.map((i) => [i.productId, i.variationId ?? 0, i.quantity]),
    expiresAt: Math.floor(at / 1000) + RESTORE_LINK_DAYS * 86_400,
  });
  const url = new URL(store.siteUrl);
  url.pathname = url.pathname.replace(/\/*$/, '/');
  url.search = '';
  url.searchParams.set('nightshift_cart', token);
  return url.toString();
}

async function cartSnapshot(store: Store, visitorId: string, cart: StorefrontCart, at: number): Promise<CartSnapshot> {
  const restoreUrl = await cartRestoreUrl(store, visitorId, cart, at);
  return {
    value: cart.value,
    ...(cart.currency ? { currency: cart.currency } : {}),
    itemCount: cart.itemCount,
    lines: cart.items.map((i) => ({
      productId: i.productId,
      ...(i.variationId ? { variationId: i.variationId } : {}),
      quantity: i.quantity,
      price: i.price,
      ...(i.name ? { name: i.name } : {}),
    })),
    ...(restoreUrl ? { restoreUrl } : {}),
  };
}

export type CatalogueFacts = { categoryIds: number[]; lifespanDays: number | null };
type Line = { productId: number; variationId: number | null; quantity: number; price: number };
type OrderHead = { id: number; total: number; currency: string | null };

/** Order lines with the catalogue facts flows test: categories and the product's lifespan. */
export function buildOrderSnapshot(head: OrderHead, lines: Line[], facts: (productId: number) => CatalogueFacts | undefined): OrderSnapshot {
  const items = lines.map((l) => {
    const product = facts(l.productId);
    const categoryIds = product?.categoryIds ?? [];
    return {
      productId: l.productId,
      ...(l.variationId ? { variationId: l.variationId } : {}),
      quantity: l.quantity,
      price: l.price,
      categoryIds,
      ...(product?.lifespanDays ? { lifespanDays: product.lifespanDays } : {}),
    };
  });
  return {
    id: head.id,
    total: head.total,
    ...(head.currency ? { currency: head.currency } : {}),
    items,
    productIds: [...new Set(items.map((i) => i.productId))],
    categoryIds: [...new Set(items.flatMap((i) => i.categoryIds))],
  };
}

async function orderSnapshot(d: Db, store: Store, e: OrderEvent): Promise<OrderSnapshot> {
  const ids = e.lines.map((l) => l.productId);
  const [products, learned] = await Promise.all([findProducts(d, store.id, ids), learnedIntervals(d, store.id, ids)]);
  const catalogue = new Map(products.map((p) => [p.id, p]));
  // A lifespan typed on the product wins; without one, the re-buy interval learnt from the store's customers.
  const facts = (id: number) => {
    const p = catalogue.get(id);
    return p && { categoryIds: p.categories.map((c) => c.id), lifespanDays: p.lifespanDays ?? learned.get(id) ?? null };
  };
  return buildOrderSnapshot({ id: e.orderId, total: e.total, currency: e.currency }, e.lines, facts);
}

/**
 * The journey view of a recorded contact event, or null for events no flow can name
 * (order.completed: flows react to order.paid).
 */
export async function toJourneyEvent(d: Db, store: Store, e: ContactDomainEvent): Promise<DomainEvent | null> {
  const base = { id: e.id, at: e.occurredAt };
  switch (e.type) {
    case 'order.placed':
    case 'order.paid': {
      const { id: _i, storeId: _s, contactId: _c, occurredAt: _o, type, lines: _l, ...properties } = e;
      return { ...base, type, properties, order: await orderSnapshot(d, store, e) };
    }
    case 'order.completed':
      return null;
    case 'order.refunded':
      return { ...base, type: e.type, properties: { orderId: e.orderId, refundId: e.refundId, amount: e.amount, full: e.full } };
    case 'order.cancelled':
      return { ...base, type: e.type, properties: { orderId: e.orderId } };
    case 'customer.created':
      return { ...base, type: e.type, properties: { wooCustomerId: e.wooCustomerId } };
    case 'cart_updated':
      return { ...base, type: e.type, properties: { visitorId: e.visitorId }, cart: await cartSnapshot(store, e.visitorId, e.cart, e.occurredAt) };
    case 'checkout_started': {
      const cart = e.cart ? await cartSnapshot(store, e.visitorId, e.cart, e.occurredAt) : undefined;
      return { ...base, type: e.type, properties: { visitorId: e.visitorId }, ...(cart ? { cart } : {}) };
    }
    case 'identified':
      return { ...base, type: e.type, properties: { visitorId: e.visitorId, source: e.source } };
    case 'page_view':
    case 'product_view':
      return { ...base, type: e.type, properties: { visitorId: e.visitorId, productId: e.productId } };
    case 'message.opened':
      return { ...base, type: e.type, properties: { messageId: e.messageId }, ...(e.message ? { message: e.message } : {}) };
    case 'message.clicked': {
      const message = e.message && { ...e.message, url: e.url, ...(e.linkKey ? { linkKey: e.linkKey } : {}) };
      return { ...base, type: e.type, properties: { messageId: e.messageId, url: e.url, linkKey: e.linkKey }, ...(message ? { message } : {}) };
    }
    case 'date.reached':
      return { ...base, type: e.type, properties: { field: e.field, value: e.value } };
    case 'segment.entered':
    case 'segment.exited':
      return { ...base, type: e.type, properties: { segment: e.segment } };
    case 'sms.stop':
      return { ...base, type: e.type, properties: { keyword: e.keyword } };
    default:
      return assertNever(e);
  }
}
