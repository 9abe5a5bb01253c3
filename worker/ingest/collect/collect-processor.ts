import { applyTrustedProfile, consentRows, linkVisitor, resolveIdentify, type IdentifyContext } from '../../contacts/identity';
import { confirmationsRequired, requestStorefrontConfirmation, splitForConfirmation } from '../../contacts/privacy/double-opt-in';
import { deliverToAgents } from '../../contacts/publish-events';
import { verifyingSecrets } from '../../connect/secrets';
import { storefrontCart, storefrontEvents, type StorefrontContactEvent } from '../../contacts/storefront-events';
import { db, type Db } from '../../db/client';
import { findCartOfVisitor, saveCartSnapshot } from '../../db/queries/carts';
import { consentsUnlessEventStored, type NewConsent } from '../../db/queries/consents';
import { insertEvents, type NewEvent } from '../../db/queries/events';
import { setContactGeoTimezone } from '../../db/queries/contacts';
import { cachedStore } from '../../db/queries/store-cache';
import type { Store } from '../../db/queries/stores';
import { isValidTimeZone } from '../../lib/time';
import { touchVisitor } from '../../db/queries/visitors';
import { BeaconEvent, withoutFreeText, type BeaconCart, type Identify, type OrderPlacedBeacon } from './beacon';
import { holdClaims, type Claimed } from './collect-claims';
import { signalPlacedOrders } from './order-signal';
import type { CollectMessage } from '../messages';

type Identified = { event: Identify; key: string; contactId: string };
type Attributed = Parameters<typeof storefrontEvents>[2][number];
export type CartSeen = { cart: BeaconCart; at: number; contactId: string | null };

/**
 * The queue side of `POST /collect`: records the visitor, its events (once each, by event id), its latest cart
 * and what its `identify` events say. Every step is idempotent, so a redelivered message changes nothing.
 */
export async function processCollectMessage(env: Env, message: CollectMessage): Promise<void> {
  const d = db(env.DB);
  const store = await collectStore(env, message.storeId);
  if (!store) return;
  const events = parseEvents(message.events);
  if (events.length === 0) return;

  const visitor = await touchVisitor(d, message.storeId, message.visitorId, message.receivedAt);
  const ctx = identifyContext(d, store, message);
  const { rows, identified, claims, lastCart, attributed } = await attribute(ctx, message, events, visitor.contactId);
  const proof = { ipHash: message.ipHash, userAgent: message.userAgent };
  const mustConfirm = await confirmationsRequired(d, message.storeId, message.trusted, identified.map((id) => id.contactId));
  const toConfirm: { key: string; row: NewConsent }[] = [];
  const consents = identified.flatMap((id) => {
    const ledger = consentRows(message.storeId, id.contactId, id.event, consentTime(id.event, message), message.trusted, proof);
    const { direct, confirm } = splitForConfirmation(ledger, mustConfirm.has(id.contactId));
    if (confirm) toConfirm.push({ key: id.key, row: confirm });
    return consentsUnlessEventStored(d, message.storeId, id.key, direct);
  });
  await insertEvents(d, rows, consents);
  for (const pending of toConfirm) await requestStorefrontConfirmation(env, d, store, pending.row, pending.key, !message.trusted);
  await holdClaims(env, d, store, { ...message, proof }, claims);

  if (lastCart) await saveCart(d, message, lastCart);
  const last = identified.at(-1);
  if (last) await linkVisitor(d, message.storeId, message.visitorId, last.contactId);
  await rememberWhereSeen(d, message, last?.contactId ?? visitor.contactId);
  for (const id of identified) await applyTrustedProfile(ctx, id.contactId, id.event);
  // Before any cart hand-over below: a converted cart is never handed to the cart flow again.
  const orders = events.filter((e): e is OrderPlacedBeacon => e.type === 'order_placed');
  await signalPlacedOrders(env, d, message, orders, last?.contactId ?? visitor.contactId);

  const forAgents = storefrontEvents(message.storeId, message.visitorId, attributed);
  if (last) forAgents.push(...(await cartHandedOver(d, message, last, forAgents)));
  await deliverToAgents(env, forAgents);
}

/**
 * The isolate's store cache, as the route uses: a D1 read per message slowed the routes sharing the machine
 * (bench). A miss is read again, so a stale "no such store" never drops a batch.
 */
export async function collectStore(env: Env, storeId: string): Promise<Store | undefined> {
  const key = { storeId };
  return (await cachedStore(env, key)) ?? (await cachedStore(env, key, { fresh: true }));
}

export function identifyContext(d: Db, store: Store, message: CollectMessage): IdentifyContext {
  return {
    d,
    storeId: message.storeId,
    secret: verifyingSecrets(store, message.receivedAt),
    visitorId: message.visitorId,
    trusted: message.trusted,
    receivedAt: message.receivedAt,
  };
}

/**
 * A cart filled before the visitor identified was never seen by the contact's journeys: hand it over with the
 * identity, unless this batch already carries a later cart_updated for the contact.
 */
async function cartHandedOver(d: Db, message: CollectMessage, last: Identified, known: StorefrontContactEvent[]) {
  if (known.some((e) => e.contactId === last.contactId && e.type === 'cart_updated' && e.occurredAt >= last.event.ts)) return [];
  const cart = await findCartOfVisitor(d, message.storeId, message.visitorId);
  if (!cart || cart.contactId !== last.contactId || cart.status !== 'active') return [];
  const event: StorefrontContactEvent = {
    id: `${message.visitorId}:cart@${cart.snapshotAt}`,
    storeId: message.storeId,
    contactId: last.contactId,
    occurredAt: cart.snapshotAt,
    visitorId: message.visitorId,
    type: 'cart_updated',
    cart: storefrontCart(cart),
  };
  return [event];
}

/** The route validated these already; parsing again gives types and guards against any other producer. */
export function parseEvents(raw: unknown[]): BeaconEvent[] {
  const parsed = raw.flatMap((e) => {
    const result = BeaconEvent.safeParse(e);
    return result.success ? [result.data] : [];
  });
  return parsed.sort((a, b) => a.ts - b.ts);
}

/**
 * Walks the batch in time order: an event belongs to whoever the visitor was known as when it happened, so
 * events before an `identify` keep the earlier owner and events after it go to the newly identified contact.
 */
export async function attribute(ctx: IdentifyContext, message: CollectMessage, events: BeaconEvent[], known: string | null) {
  let contactId = known;
  let lastCart: CartSeen | null = null;
  const rows: NewEvent[] = [];
  const identified: Identified[] = [];
  const claims: Claimed[] = [];
  const attributed: Attributed[] = [];
  for (const sent of events) {
    const event = message.trusted ? sent : withoutFreeText(sent);
    const key = `${message.visitorId}:${event.id}`;
    let properties = propertiesOf(event);
    let known = false;
    if (event.type === 'identify') {
      const outcome = await resolveIdentify(ctx, event);
      properties = outcome.properties;
      if (outcome.contactId) {
        contactId = outcome.contactId;
        known = true;
        identified.push({ event, key, contactId });
      } else if (outcome.claimedContactId) {
        claims.push({ event, key, contactId: outcome.claimedContactId });
      }
    }
    attributed.push({ key, contactId, event, identified: known, source: typeof properties.source === 'string' ? properties.source : undefined });
    if ((event.type === 'cart_updated' || event.type === 'checkout_started') && event.cart) {
      lastCart = { cart: event.cart, at: event.ts, contactId };
    }
    rows.push({
      storeId: message.storeId,
      eventKey: key,
      type: event.type,
      visitorId: message.visitorId,
      contactId,
      properties,
      source: message.trusted ? 'server' : 'browser',
      occurredAt: event.ts,
      receivedAt: message.receivedAt,
    });
  }
  return { rows, identified, claims, lastCart, attributed };
}

function propertiesOf(event: BeaconEvent): Record<string, unknown> {
  const { id: _id, type: _type, ts: _ts, ...rest } = event;
  return rest;
}

export async function saveCart(d: Db, message: CollectMessage, seen: CartSeen): Promise<void> {
  await saveCartSnapshot(d, {
    storeId: message.storeId,
    visitorId: message.visitorId,
    contactId: seen.contactId,
    items: seen.cart.items,
    value: seen.cart.value,
    currency: seen.cart.currency ?? null,
    snapshotAt: seen.at,
    now: message.receivedAt,
  });
}

/** A browser clock may run ahead; consent is never dated after we received it. */
function consentTime(event: Identify, message: CollectMessage): number {
  return Math.min(event.ts, message.receivedAt);
}

/** A browser batch tells where the shopper is; a signed batch comes from the store's server and does not. */
export function whereSeen(message: CollectMessage): string | null {
  const zone = message.geoTimezone;
  return !message.trusted && zone && isValidTimeZone(zone) ? zone : null;
}

export async function rememberWhereSeen(d: Db, message: CollectMessage, contactId: string | null): Promise<void> {
  const zone = whereSeen(message);
  if (!contactId || !zone) return;
  await setContactGeoTimezone(d, message.storeId, contactId, zone, message.receivedAt);
}
