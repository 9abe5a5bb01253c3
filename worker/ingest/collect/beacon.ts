import { z } from 'zod';

/**
 * The wire contract of `POST /collect` (see notes/beacon-contract.md): the tracker and the plugin bridge
 * send exactly this. Unknown keys are dropped so nothing unexpected reaches storage.
 */
export const MAX_COLLECT_BODY_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_BATCH = 50;

const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8..64 characters of [A-Za-z0-9_-]');
const ProductId = z.number().int().positive();
const VariationId = z.number().int().nonnegative();
const Money = z.number().finite().nonnegative();
const Url = z.string().max(2048);
const Text = z.string().max(500);

export const BeaconCartItem = z.object({
  productId: ProductId,
  variationId: VariationId.optional(),
  name: Text.optional(),
  quantity: z.number().int().positive().max(10_000),
  price: Money,
  image: Url.optional(),
  url: Url.optional(),
});
export type BeaconCartItem = z.infer<typeof BeaconCartItem>;

export const BeaconCart = z.object({
  items: z.array(BeaconCartItem).max(200),
  value: Money,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').optional(),
});
export type BeaconCart = z.infer<typeof BeaconCart>;

const base = { id: Id, ts: z.number().int().positive() };

export const PageView = z.object({
  ...base,
  type: z.literal('page_view'),
  url: Url,
  referrer: Url.optional(),
  title: Text.optional(),
});

export const ProductView = z.object({
  ...base,
  type: z.literal('product_view'),
  productId: ProductId,
  variationId: VariationId.optional(),
  name: Text.optional(),
  price: Money.optional(),
  url: Url.optional(),
  categoryIds: z.array(ProductId).max(50).optional(),
});

/** A product category page (the plugin bridge prints its term id on classic and block themes). */
export const CategoryView = z.object({
  ...base,
  type: z.literal('category_view'),
  categoryId: ProductId,
  name: Text.optional(),
  url: Url.optional(),
});

export const AddToCart = z.object({
  ...base,
  type: z.literal('add_to_cart'),
  productId: ProductId,
  variationId: VariationId.optional(),
  quantity: z.number().int().positive().max(10_000),
  price: Money.optional(),
  name: Text.optional(),
});

export const RemoveFromCart = z.object({
  ...base,
  type: z.literal('remove_from_cart'),
  productId: ProductId,
  variationId: VariationId.optional(),
  quantity: z.number().int().positive().max(10_000).optional(),
});

export const CartUpdated = z.object({ ...base, type: z.literal('cart_updated'), cart: BeaconCart });

export const CheckoutStarted = z.object({ ...base, type: z.literal('checkout_started'), cart: BeaconCart.optional() });

export const IdentifySource = z.enum(['checkout', 'popup', 'storefront', 'plugin', 'account']);
export type IdentifySource = z.infer<typeof IdentifySource>;

/**
 * `true`: the box was ticked, a grant. `false`: the box was left unticked, nothing given (never a withdrawal).
 * `"withdrawn"`: an explicit opt-out (My Account), honoured from signed plugin batches only.
 */
export const ConsentAct = z.union([z.boolean(), z.literal('withdrawn')]);
export type ConsentAct = z.infer<typeof ConsentAct>;

export const ConsentFlags = z.object({
  emailMarketing: ConsentAct.optional(),
  smsMarketing: ConsentAct.optional(),
  textVersion: z.string().max(100).optional(),
});
export type ConsentFlags = z.infer<typeof ConsentFlags>;

export const Identify = z.object({
  ...base,
  type: z.literal('identify'),
  email: z.string().trim().pipe(z.email().max(254)).optional(),
  phone: z.string().regex(/^\+?[0-9 ().-]{6,24}$/, 'must be a phone number').optional(),
  firstName: z.string().max(100).optional(),
  lastName: z.string().max(100).optional(),
  birthday: z.iso.date().optional(),
  identityToken: z.string().max(200).optional(),
  consent: ConsentFlags.optional(),
  source: IdentifySource.optional(),
});
export type Identify = z.infer<typeof Identify>;

/** One line of a placed order, as the plugin reads it from WC_Order. */
export const OrderPlacedLine = z.object({
  productId: ProductId,
  variationId: VariationId.optional(),
  quantity: z.number().int().positive().max(10_000),
  price: Money.optional(),
  total: Money.optional(),
});

/**
 * Server-only (signed batches): the plugin saw WooCommerce create an order at checkout (classic or Store API),
 * before any payment. It stops the cart flow at once, minutes before the order webhook may arrive.
 */
export const OrderPlacedBeacon = z.object({
  ...base,
  type: z.literal('order_placed'),
  orderId: z.number().int().positive(),
  number: z.string().max(40).optional(),
  status: z.string().regex(/^[a-z0-9_-]{1,40}$/),
  total: Money,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').optional(),
  email: z.string().trim().pipe(z.email().max(254)).optional(),
  customerId: z.number().int().nonnegative().optional(),
  via: z.enum(['checkout', 'store-api']).optional(),
  couponCodes: z.array(z.string().min(1).max(100)).max(50).default([]),
  items: z.array(OrderPlacedLine).max(200).default([]),
});
export type OrderPlacedBeacon = z.infer<typeof OrderPlacedBeacon>;

/** Event types only the store's own server may send (a signed batch); a browser batch carrying one is refused. */
export const SERVER_ONLY_EVENTS: ReadonlySet<string> = new Set(['order_placed']);

export const BeaconEvent = z.discriminatedUnion('type', [
  PageView,
  ProductView,
  CategoryView,
  AddToCart,
  RemoveFromCart,
  CartUpdated,
  CheckoutStarted,
  Identify,
  OrderPlacedBeacon,
]);
export type BeaconEvent = z.infer<typeof BeaconEvent>;
export type BeaconEventType = BeaconEvent['type'];

/**
 * Which store a batch is for is settled by the route: a browser names it by `siteKey` (or `?k=`) or by `store`
 * (or `?store=`), both public and checked against the Origin; a signed plugin-bridge batch names it by `store`.
 */
export const BeaconBatch = z.object({
  siteKey: z.string().min(1).max(100).optional(),
  store: z.string().min(1).max(100).optional(),
  visitorId: Id,
  /** The shopper agreed to tracking; required from browsers while the store is in consent-pending mode. */
  consent: z.boolean().optional(),
  events: z.array(BeaconEvent).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type BeaconBatch = z.infer<typeof BeaconBatch>;

/**
 * An unsigned browser batch may say which products, how many and at what price, but its names, images and links
 * are the sender's free text: they never reach a message (names come from the catalogue or a signed cart).
 */
export function withoutFreeText(event: BeaconEvent): BeaconEvent {
  const strip = (cart: BeaconCart): BeaconCart => ({ ...cart, items: cart.items.map(({ name: _n, image: _i, url: _u, ...item }) => item) });
  switch (event.type) {
    case 'cart_updated':
      return { ...event, cart: strip(event.cart) };
    case 'checkout_started':
      return event.cart ? { ...event, cart: strip(event.cart) } : event;
    case 'add_to_cart':
    case 'product_view':
    case 'category_view': {
      const { name: _n, ...rest } = event;
      return rest;
    }
    default:
      return event;
  }
}
