import type { OrderPlaced } from '../../contacts/domain-events';
import { publishDomainEvents } from '../../contacts/publish-events';
import type { Db } from '../../db/client';
import { markCartsConverted } from '../../db/queries/carts';
import { findContactByWooCustomerId, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { NOT_PLACED, orderFactId } from '../woo/woo-orders';
import type { OrderPlacedBeacon } from './beacon';
import type { CollectMessage } from '../messages';

/**
 * The plugin's signed `order_placed`: the order exists in WooCommerce now, whether or not it is paid. The cart
 * becomes `converted` and the contact's journeys get the same `order.placed` the order webhook will imply later
 * (same id, so the webhook's copy is dropped by D1 and by the agent: no second enrollment, no second conversion).
 */
export async function signalPlacedOrders(
  env: Env,
  d: Db,
  message: CollectMessage,
  orders: OrderPlacedBeacon[],
  visitorContact: string | null,
): Promise<void> {
  if (!message.trusted) return;
  for (const order of orders) {
    if (NOT_PLACED.has(order.status)) continue;
    const contactId = (await orderContact(d, message, order)) ?? visitorContact;
    await markCartsConverted(d, {
      storeId: message.storeId,
      visitorId: message.visitorId,
      contactId,
      orderId: order.orderId,
      at: order.ts,
      now: message.receivedAt,
    });
    if (contactId) await publishDomainEvents(env, d, [placedEvent(message.storeId, contactId, order)], 'server', message.receivedAt);
  }
}

/** As the order webhook resolves it: the registered customer's contact, else the contact of the billing email. */
async function orderContact(d: Db, message: CollectMessage, order: OrderPlacedBeacon): Promise<string | null> {
  if (order.customerId) {
    const known = await findContactByWooCustomerId(d, message.storeId, order.customerId);
    if (known) return known.id;
  }
  if (!order.email) return null;
  return (await findOrCreateContactByEmail(d, message.storeId, order.email, message.receivedAt)).contact.id;
}

export function placedEvent(storeId: string, contactId: string, order: OrderPlacedBeacon): OrderPlaced {
  return {
    id: orderFactId(order.orderId, 'placed'),
    type: 'order.placed',
    storeId,
    contactId,
    occurredAt: order.ts,
    orderId: order.orderId,
    number: order.number ?? null,
    status: order.status,
    total: order.total,
    currency: order.currency ?? null,
    couponCodes: order.couponCodes.map((code) => code.toLowerCase()),
    lines: order.items.map((line) => ({
      productId: line.productId,
      variationId: line.variationId ?? null,
      quantity: line.quantity,
      price: line.price ?? 0,
      total: line.total ?? (line.price ?? 0) * line.quantity,
    })),
  };
}
