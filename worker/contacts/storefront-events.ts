import type { CartItem } from '../db/schema';

/**
 * Storefront facts a contact's journeys react to, delivered to their ContactAgent next to the WooCommerce
 * events of `domain-events.ts`. The type names are the flow trigger names (journeys/flow-nodes.ts). Ids are the
 * stored event keys, so a redelivered beacon batch reaches the agent with the same ids and is dropped there.
 */
type StorefrontEventBase = {
  id: string;
  storeId: string;
  contactId: string;
  occurredAt: number;
  visitorId: string;
};

export type StorefrontCart = { items: CartItem[]; value: number; currency: string | null; itemCount: number };

export type CartUpdatedEvent = StorefrontEventBase & { type: 'cart_updated'; cart: StorefrontCart };
export type CheckoutStartedEvent = StorefrontEventBase & { type: 'checkout_started'; cart: StorefrontCart | null };
export type IdentifiedEvent = StorefrontEventBase & { type: 'identified'; source: string };
/** A known contact is on the site: engagement the cart flow can see without any open tracking. */
export type VisitEvent = StorefrontEventBase & { type: 'page_view' | 'product_view'; productId: number | null };

export type StorefrontContactEvent = CartUpdatedEvent | CheckoutStartedEvent | IdentifiedEvent | VisitEvent;

export function storefrontCart(cart: { items: CartItem[]; value: number; currency?: string | null }): StorefrontCart {
  return {
    items: cart.items,
    value: cart.value,
    currency: cart.currency ?? null,
    itemCount: cart.items.reduce((n, item) => n + item.quantity, 0),
  };
}

type Attributed = {
  key: string;
  contactId: string | null;
  event: { type: string; ts: number; cart?: { items: CartItem[]; value: number; currency?: string }; productId?: number };
  identified: boolean;
  source?: string;
};

/**
 * The journey-relevant events of a batch that belong to a known contact. Of the page and product views, only the
 * first of each kind per batch goes on: one is all a wait needs to know the shopper came back, and the agent
 * keeps every event it is given.
 */
export function storefrontEvents(storeId: string, visitorId: string, batch: Attributed[]): StorefrontContactEvent[] {
  const viewed = new Set<string>();
  return batch.flatMap(({ key, contactId, event, identified, source }): StorefrontContactEvent[] => {
    if (!contactId) return [];
    const base = { id: key, storeId, contactId, occurredAt: event.ts, visitorId };
    if (event.type === 'page_view' || event.type === 'product_view') {
      if (viewed.has(event.type)) return [];
      viewed.add(event.type);
      return [{ ...base, type: event.type, productId: event.productId ?? null }];
    }
    if (event.type === 'cart_updated' && event.cart) return [{ ...base, type: 'cart_updated', cart: storefrontCart(event.cart) }];
    if (event.type === 'checkout_started') {
      return [{ ...base, type: 'checkout_started', cart: event.cart ? storefrontCart(event.cart) : null }];
    }
    if (event.type === 'identify' && identified) return [{ ...base, type: 'identified', source: source ?? 'storefront' }];
    return [];
  });
}
