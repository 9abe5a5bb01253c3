import { contactAgentName } from '../../contacts/domain-events';
import { followEmailChange } from '../../contacts/merge';
import { releaseWooCustomer } from '../../db/queries/contact-merge';
import { findContactByWooCustomerId, findOrCreateContactByEmail, type Contact } from '../../db/queries/contacts';
import { markCouponDeleted } from '../../db/queries/coupons';
import { insertEvents } from '../../db/queries/events';
import { markOrderDeleted } from '../../db/queries/orders';
import { refreshOrderRecommendations } from '../../recommendations/refresh';
import { markProductDeleted } from '../../db/queries/products';
import { attributeOrder } from '../../measurement/attribution';
import { customerVersion } from './woo-customers';
import type { WooApplyContext, WooApplyResult } from './woo-processor';
import type { WooCustomer } from './woo-schemas';
import type { DeletableResource } from './woo-topics';

const processed: WooApplyResult = { outcome: 'processed', note: null };
const notOurs = (resource: string, id: number): WooApplyResult => ({ outcome: 'skipped', note: `${resource} ${id} is not one of ours` });

/**
 * `*.deleted` (a trash: WooCommerce sends nothing on a permanent delete) carries only `{"id"}`. A REST trash of a
 * product also fires `coupon.deleted` with the product's id and the reverse, so products and coupons are marked
 * deleted only when the id is one we hold. Orders never cross-fire: an unknown order keeps its tombstone, so an
 * `order.created` processed after its deletion (a retry) stays deleted.
 */
export async function applyWooDeletion(ctx: WooApplyContext, resource: DeletableResource, id: number): Promise<WooApplyResult> {
  const { d, storeId, at } = ctx;
  switch (resource) {
    case 'order':
      await markOrderDeleted(d, storeId, id, at);
      await attributeOrder(d, storeId, id, at);
      await refreshOrderRecommendations(d, storeId, id, at);
      return processed;
    case 'product':
      return (await markProductDeleted(d, storeId, id, at)) ? processed : notOurs('product', id);
    case 'coupon':
      return (await markCouponDeleted(d, storeId, id, at)) ? processed : notOurs('coupon', id);
    case 'customer':
      return endCustomer(ctx, id);
  }
}

/**
 * A deleted WordPress user: their customer journeys end (pending reminders cancelled in the ContactAgent, nothing
 * more sent), the contact no longer answers to the customer id, and the contact with its consent history stays:
 * deleting an account is not an erasure request. Safe to repeat: the agent ends nothing twice.
 */
async function endCustomer(ctx: WooApplyContext, wooCustomerId: number): Promise<WooApplyResult> {
  const { env, d, storeId, at } = ctx;
  const contact = await findContactByWooCustomerId(d, storeId, wooCustomerId);
  if (!contact) return notOurs('customer', wooCustomerId);
  const ended = await env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id)).endJourneys('customer_deleted');
  await insertEvents(d, [
    {
      storeId,
      eventKey: `woo:customer:${wooCustomerId}:deleted`,
      type: 'customer.deleted',
      visitorId: null,
      contactId: contact.id,
      properties: { wooCustomerId, journeysEnded: ended },
      source: 'woocommerce',
      occurredAt: at,
      receivedAt: at,
    },
  ]);
  await releaseWooCustomer(d, storeId, contact.id, wooCustomerId, at);
  return { outcome: 'processed', note: `customer ${wooCustomerId} deleted: ${ended} journeys ended, contact ${contact.id} kept` };
}

/**
 * The contact a customer record applies to. A known customer whose record carries another address changed it in
 * My Account (the payload holds only the new one): the contact follows it, merging with the address's owner if
 * there is one. A record older than the one applied last changes no address.
 */
export async function customerContact(ctx: WooApplyContext, c: WooCustomer): Promise<Contact> {
  const { env, d, storeId, at } = ctx;
  const known = await findContactByWooCustomerId(d, storeId, c.id);
  if (!known) return (await findOrCreateContactByEmail(d, storeId, c.email, at)).contact;
  if (known.sourceModifiedAt !== null && customerVersion(c) < known.sourceModifiedAt) return known;
  return followEmailChange(env, d, storeId, { contact: known, email: c.email, wooCustomerId: c.id, now: at });
}
