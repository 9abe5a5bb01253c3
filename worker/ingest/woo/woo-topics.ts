import type { z } from 'zod';
import { validationError } from '../../errors';
import { WooAction, WooCoupon, WooCustomer, WooDeleted, WooOrder, WooProduct } from './woo-schemas';

/** A delivery decoded by its topic (`X-WC-Webhook-Topic`), ready for the consumer. */
export type WooDelivery =
  | { kind: 'order'; payload: WooOrder; restored: boolean }
  | { kind: 'customer'; payload: WooCustomer }
  | { kind: 'product'; payload: WooProduct; restored: boolean }
  | { kind: 'coupon'; payload: WooCoupon; restored: boolean }
  | { kind: 'deleted'; resource: DeletableResource; payload: WooDeleted }
  | { kind: 'action'; payload: WooAction }
  /** A topic Nightshift has no use for (e.g. a custom resource): accepted and recorded, nothing else. */
  | { kind: 'ignored'; topic: string }
  /**
   * A signed body that names no record, e.g. the `{"code":"rest_no_route"}` WooCommerce signs when it builds a
   * payload inside a Store API request: acknowledged (WooCommerce never retries) and logged, never applied.
   */
  | { kind: 'skipped'; topic: string; reason: string };

export type DeletableResource = 'order' | 'customer' | 'product' | 'coupon';

const UPSERT_EVENTS = new Set(['created', 'updated', 'restored']);

function parse<S extends z.ZodType>(schema: S, body: unknown, topic: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(result.error, `${topic} payload`);
  return result.data;
}

/** Throws a 400 AppError when the payload does not fit its topic. */
export function decodeWooDelivery(topic: string, body: unknown): WooDelivery {
  const dot = topic.indexOf('.');
  const resource = dot < 0 ? topic : topic.slice(0, dot);
  const event = dot < 0 ? '' : topic.slice(dot + 1);
  if (resource === 'action') return { kind: 'action', payload: parse(WooAction, body, topic) };
  if (!namesRecord(body)) {
    const code = typeof body === 'object' && body !== null && 'code' in body ? String(body.code).slice(0, 64) : null;
    return { kind: 'skipped', topic, reason: `body without an id${code ? ` (${code})` : ''}` };
  }
  if (event === 'deleted' && isDeletable(resource)) {
    return { kind: 'deleted', resource, payload: parse(WooDeleted, body, topic) };
  }
  if (!UPSERT_EVENTS.has(event)) return { kind: 'ignored', topic };
  const restored = event === 'restored';
  switch (resource) {
    case 'order':
      return { kind: 'order', payload: parse(WooOrder, body, topic), restored };
    case 'customer':
      return { kind: 'customer', payload: parse(WooCustomer, body, topic) };
    case 'product':
      return { kind: 'product', payload: parse(WooProduct, body, topic), restored };
    case 'coupon':
      return { kind: 'coupon', payload: parse(WooCoupon, body, topic), restored };
    default:
      return { kind: 'ignored', topic };
  }
}

/** Every resource payload carries its `id`; an object without one is an error WooCommerce signed, not a record. */
function namesRecord(body: unknown): boolean {
  return typeof body !== 'object' || body === null || Array.isArray(body) || 'id' in body;
}

function isDeletable(resource: string): resource is DeletableResource {
  return resource === 'order' || resource === 'customer' || resource === 'product' || resource === 'coupon';
}

/** The id the delivery is about, for the delivery log. */
export function wooResourceId(delivery: WooDelivery): string | null {
  switch (delivery.kind) {
    case 'action':
      return typeof delivery.payload.arg === 'number' || typeof delivery.payload.arg === 'string'
        ? String(delivery.payload.arg)
        : null;
    case 'ignored':
    case 'skipped':
      return null;
    default:
      return String(delivery.payload.id);
  }
}
