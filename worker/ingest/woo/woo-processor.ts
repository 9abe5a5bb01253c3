import { resolvePendingCustomerLinks } from '../../contacts/identity';
import { publishDomainEvents } from '../../contacts/publish-events';
import { db, type Db } from '../../db/client';
import {
  applyWooCustomerProfile,
  findContactByWooCustomerId,
  findOrCreateContactByEmail,
  setContactCountry,
} from '../../db/queries/contacts';
import { upsertCouponVersion } from '../../db/queries/coupons';
import {
  deletePayload,
  findDelivery,
  finishDelivery,
  loadPayload,
  recordDelivery,
  type Delivery,
  type DeliveryOutcome,
  type NewDelivery,
} from '../../db/queries/deliveries';
import { insertEvents } from '../../db/queries/events';
import { findOrder, upsertOrderVersion } from '../../db/queries/orders';
import { upsertProductVersion } from '../../db/queries/products';
import type { WooDeliveryMessage } from '../messages';
import { mapCoupon, mapProduct, productChanged } from './woo-catalog';
import { countryOf, customerCreated, customerProfile, isStaff, orderContactFields } from './woo-customers';
import { refuseErased } from './woo-erased';
import { applyWooDeletion, customerContact } from './woo-lifecycle';
import { mapOrder, NOT_PLACED, orderEvents } from './woo-orders';
import { markCartsConverted } from '../../db/queries/carts';
import { attributeOrder } from '../../measurement/attribution';
import type { WooAction, WooCustomer, WooOrder } from './woo-schemas';
import { decodeWooDelivery, wooResourceId, type WooDelivery } from './woo-topics';
import { sha256Hex } from '../../lib/hmac';
import { refreshOrderRecommendations } from '../../recommendations/refresh';

export type WooApplyResult = { outcome: DeliveryOutcome; note: string | null };
/** What applying a delivery needs: `at` is the delivery's first arrival, so a repeat writes the same again. */
export type WooApplyContext = { env: Env; d: Db; storeId: string; deliveryId: string; at: number };

const processed: WooApplyResult = { outcome: 'processed', note: null };
const stale: WooApplyResult = { outcome: 'stale', note: 'a newer version is already stored' };

/**
 * The queue side of a WooCommerce delivery, and its log: the route only queues, so the consumer records the
 * delivery (with the message's receivedAt) and skips one already finished. Every write is idempotent and guarded
 * by the record's version, so a redelivered message, or one processed out of order, leaves the newest state in place.
 */
export async function processWooMessage(env: Env, message: WooDeliveryMessage): Promise<void> {
  const d = db(env.DB);
  const { storeId, deliveryId } = message;
  const raw = 'inline' in message.body ? message.body.inline : await loadPayload(d, storeId, message.body.payloadId);
  if (raw === undefined) {
    // The payload is released only after the delivery is finished: a copy of a finished message has nothing to do.
    if (isFinishedDelivery(await findDelivery(d, storeId, deliveryId))) return;
    throw new Error(`payload of delivery ${deliveryId} is missing`);
  }
  const delivery = decodeWooMessage(message, raw);
  const logged = await recordDelivery(d, deliveryLogRow(message, delivery));
  if (!isFinishedDelivery(logged)) {
    const ctx: WooApplyContext = { env, d, storeId, deliveryId, at: logged?.receivedAt ?? message.receivedAt };
    const result = await applyWooDelivery(ctx, delivery);
    await finishDelivery(d, storeId, deliveryId, result.outcome, Date.now(), result.note);
  }
  if ('payloadId' in message.body) await deletePayload(d, storeId, message.body.payloadId);
}

/** Throws an AppError (or a SyntaxError) when the body can never be applied: such a message is parked. */
export function decodeWooMessage(message: WooDeliveryMessage, raw: string): WooDelivery {
  return decodeWooDelivery(message.topic, JSON.parse(raw));
}

/** The delivery log's row for a message about to be applied. */
export function deliveryLogRow(message: WooDeliveryMessage, delivery: WooDelivery): NewDelivery {
  return {
    storeId: message.storeId,
    deliveryId: message.deliveryId,
    webhookId: message.webhookId ?? null,
    topic: message.topic,
    resourceId: wooResourceId(delivery),
    status: 'queued',
    receivedAt: message.receivedAt,
  };
}

export function isFinishedDelivery(delivery: Pick<Delivery, 'status'> | null | undefined): boolean {
  return delivery?.status === 'processed' || delivery?.status === 'stale' || delivery?.status === 'skipped';
}

/** Writes one decoded delivery into the store's data and says how it ended; the caller logs the outcome. */
export async function applyWooDelivery(ctx: WooApplyContext, delivery: WooDelivery): Promise<WooApplyResult> {
  const { d, storeId, at } = ctx;
  const refused = await refuseErased(d, storeId, delivery);
  if (refused) return refused;
  switch (delivery.kind) {
    case 'order':
      return applyOrder(ctx, delivery.payload, delivery.restored);
    case 'customer':
      return applyCustomer(ctx, delivery.payload);
    case 'product': {
      const applied = await upsertProductVersion(d, mapProduct(storeId, delivery.payload, at, delivery.restored));
      if (!applied) return stale;
      await publishDomainEvents(ctx.env, d, [productChanged(storeId, delivery.payload)], 'woocommerce', at);
      return processed;
    }
    case 'coupon':
      return (await upsertCouponVersion(d, mapCoupon(storeId, delivery.payload, at, delivery.restored)))
        ? processed
        : stale;
    case 'deleted':
      return applyWooDeletion(ctx, delivery.resource, delivery.payload.id);
    case 'action':
      return applyAction(ctx, delivery.payload);
    case 'ignored':
      return { outcome: 'processed', note: `ignored: Nightshift has no use for topic ${delivery.topic}` };
    case 'skipped':
      return { outcome: 'skipped', note: `${delivery.topic}: ${delivery.reason}` };
  }
}

async function applyOrder(ctx: WooApplyContext, o: WooOrder, restored: boolean): Promise<WooApplyResult> {
  const { env, d, storeId, at } = ctx;
  const contactId = await orderContactId(ctx, o);
  const { order, items } = mapOrder(storeId, o, at, restored);
  if (!(await upsertOrderVersion(d, { ...order, contactId }, items))) return stale;
  const country = countryOf(o.billing, o.shipping);
  // Before the order's events: the contact's location segments are re-evaluated when those are followed.
  if (contactId && country) await setContactCountry(d, storeId, contactId, country, at);
  await attributeOrder(d, storeId, o.id, at);
  await refreshOrderRecommendations(d, storeId, o.id, at);
  if (contactId) await publishDomainEvents(env, d, orderEvents(storeId, contactId, o), 'woocommerce', at);
  if (contactId && !NOT_PLACED.has(o.status)) {
    await markCartsConverted(d, { storeId, visitorId: null, contactId, orderId: o.id, at: order.createdAt, now: at });
  }
  return processed;
}

/** A registered customer's orders join their contact; any other order joins the contact of its billing email. */
async function orderContactId(ctx: WooApplyContext, o: WooOrder): Promise<string | null> {
  if (o.customer_id > 0) {
    const known = await findContactByWooCustomerId(ctx.d, ctx.storeId, o.customer_id);
    if (known) return known.id;
  }
  const email = o.billing.email;
  if (!email || !email.includes('@')) return null;
  const { contact } = await findOrCreateContactByEmail(ctx.d, ctx.storeId, email, ctx.at, orderContactFields(o));
  return contact.id;
}

async function applyCustomer(ctx: WooApplyContext, c: WooCustomer): Promise<WooApplyResult> {
  const { env, d, storeId, at } = ctx;
  const contact = await customerContact(ctx, c);
  if (!(await applyWooCustomerProfile(d, storeId, contact.id, customerProfile(c), at))) {
    return contact.wooCustomerId !== null && contact.wooCustomerId !== c.id
      ? { outcome: 'stale', note: `contact ${contact.id} belongs to customer ${contact.wooCustomerId}` }
      : stale;
  }
  // Store staff keep a contact (their orders are orders) but an account is not a sign-up: no customer journeys.
  if (!isStaff(c)) await publishDomainEvents(env, d, [customerCreated(storeId, contact.id, c)], 'woocommerce', at);
  await resolvePendingCustomerLinks(d, storeId, c.id, contact.id);
  return processed;
}

/**
 * `action.*` hooks are recorded as events, tied to the order's contact when the argument is a known order. The
 * event is keyed by the hook and its argument, not the delivery: WooCommerce's resends get new delivery ids.
 */
async function applyAction(ctx: WooApplyContext, action: WooAction): Promise<WooApplyResult> {
  const { d, storeId, at } = ctx;
  const orderId = /order/.test(action.action) && typeof action.arg === 'number' ? action.arg : null;
  const order = orderId === null ? undefined : await findOrder(d, storeId, orderId);
  await insertEvents(d, [
    {
      storeId,
      eventKey: `woo:action:${action.action}:${await actionArgKey(action.arg)}`,
      type: 'woo.action',
      visitorId: null,
      contactId: order?.contactId ?? null,
      properties: { action: action.action, arg: action.arg, ...(orderId === null ? {} : { orderId }) },
      source: 'woocommerce',
      occurredAt: at,
      receivedAt: at,
    },
  ]);
  return processed;
}

async function actionArgKey(arg: unknown): Promise<string> {
  if (typeof arg === 'number' || (typeof arg === 'string' && arg.length <= 64)) return String(arg);
  return (await sha256Hex(JSON.stringify(arg ?? null))).slice(0, 32);
}
