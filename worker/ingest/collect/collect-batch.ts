import { deliverToAgents } from '../../contacts/publish-events';
import { storefrontEvents, type StorefrontContactEvent } from '../../contacts/storefront-events';
import type { Db } from '../../db/client';
import { coalescedD1 } from '../../db/coalesced-d1';
import { insertEvents, type NewEvent } from '../../db/queries/events';
import type { Store } from '../../db/queries/stores';
import { touchVisitors } from '../../db/queries/visitors';
import type { BeaconEvent } from './beacon';
import {
  attribute,
  collectStore,
  identifyContext,
  parseEvents,
  rememberWhereSeen,
  saveCart,
  whereSeen,
  type CartSeen,
} from './collect-processor';
import { consumeOne } from '../consume-one';
import type { CollectMessage } from '../messages';

type Parsed = { message: Message<CollectMessage>; events: BeaconEvent[] };
/** One visitor's messages of the batch, oldest first. */
type Visit = { key: string; storeId: string; visitorId: string; items: Parsed[] };
type Live = { visit: Visit; store: Store };
type Sent = { receivedAt: number; events: StorefrontContactEvent[] };
/** What the shared round trips left to do for one visitor. */
type Written = {
  visit: Visit;
  contactId: string | null;
  rows: NewEvent[];
  cart: { message: CollectMessage; seen: CartSeen } | null;
  sent: Sent[];
};
type FollowUp = { keys: string[]; run: () => Promise<void> };

/**
 * The collect messages of one queue batch. Locally the consumer shares one thread with the routes, and in
 * production D1 is a single writer that every round trip waits on, so visitors that only browse (no `identify` in
 * this batch) are written together: one round trip touches every visitor, one inserts every event, and only
 * carts, time zones and agent deliveries follow per visitor or contact. A visitor who identifies goes through
 * the one-message path in arrival order, so identity stitching sees each message after the one before.
 */
export async function consumeCollectBatch(env: Env, d: Db, messages: Message<CollectMessage>[]): Promise<void> {
  const { plain, identifying, unreadable } = sortOut(messages);
  // Identifying visitors run side by side, each in its own order; on one coalescing binding the statements their
  // paths issue together share a round trip (as the send stage's sends do), and a failing one reruns alone.
  const together = identifying.length > 1 ? { ...env, DB: coalescedD1(env.DB) } : env;
  await Promise.all([
    consumePlain(env, d, plain),
    ...identifying.map((visit) => inOrder(together, d, visit)),
    ...unreadable.map((message) => consumeOne(env, d, message)),
  ]);
}

function sortOut(messages: Message<CollectMessage>[]) {
  const visits = new Map<string, Visit>();
  const unreadable: Message<CollectMessage>[] = [];
  for (const message of messages) {
    const { storeId, visitorId, receivedAt, events } = message.body;
    // A malformed body fails on its own in the one-message path instead of failing the shared statements.
    if (typeof visitorId !== 'string' || !Number.isFinite(receivedAt) || !Array.isArray(events)) {
      unreadable.push(message);
      continue;
    }
    const key = `${storeId}\u0000${visitorId}`;
    const visit = visits.get(key) ?? { key, storeId, visitorId, items: [] };
    visit.items.push({ message, events: parseEvents(events) });
    visits.set(key, visit);
  }
  const all = [...visits.values()];
  for (const visit of all) visit.items.sort((a, b) => a.message.body.receivedAt - b.message.body.receivedAt);
  // Identities and placed orders change who owns what: those visitors take the one-message path, in order.
  const identifies = (visit: Visit) => visit.items.some((item) => item.events.some((e) => e.type === 'identify' || e.type === 'order_placed'));
  return { plain: all.filter((v) => !identifies(v)), identifying: all.filter(identifies), unreadable };
}

async function inOrder(env: Env, d: Db, visit: Visit): Promise<void> {
  for (const item of visit.items) await consumeOne(env, d, item.message);
}

function ackAll(visit: Visit): void {
  for (const item of visit.items) item.message.ack();
}

async function consumePlain(env: Env, d: Db, visits: Visit[]): Promise<void> {
  const { live, unresolved } = await withKnownStores(env, visits);
  await Promise.all([...unresolved.map((visit) => inOrder(env, d, visit)), consumeLive(env, d, live)]);
}

/** A message is acknowledged only once everything it writes is written; anything that failed is redone alone. */
async function consumeLive(env: Env, d: Db, live: Live[]): Promise<void> {
  if (live.length === 0) return;
  let written: Written[];
  try {
    written = await writeShared(d, live);
  } catch (err) {
    console.error('batched collect write failed; one message at a time', err);
    await Promise.all(live.map(({ visit }) => inOrder(env, d, visit)));
    return;
  }
  const failed = await followUp(env, d, written);
  for (const w of written) if (!failed.has(w.visit.key)) ackAll(w.visit);
  await Promise.all(written.filter((w) => failed.has(w.visit.key)).map((w) => inOrder(env, d, w.visit)));
}

/**
 * As in the one-message path, messages of an unknown store and messages without a readable event are done
 * (acknowledged) at once; a store that cannot be read leaves its messages to the one-message path's retry.
 */
async function withKnownStores(env: Env, visits: Visit[]): Promise<{ live: Live[]; unresolved: Visit[] }> {
  const ids = [...new Set(visits.map((v) => v.storeId))];
  const looked = await Promise.allSettled(ids.map((id) => collectStore(env, id)));
  const stores = new Map(ids.map((id, i) => [id, looked[i]!]));
  const live: Live[] = [];
  const unresolved: Visit[] = [];
  for (const visit of visits) {
    const found = stores.get(visit.storeId)!;
    if (found.status === 'rejected') {
      unresolved.push(visit);
      continue;
    }
    const store = found.value;
    const [empty, full] = partition(visit.items, (item) => !store || item.events.length === 0);
    for (const item of empty) item.message.ack();
    if (store && full.length > 0) live.push({ visit: { ...visit, items: full }, store });
  }
  return { live, unresolved };
}

function partition<T>(list: T[], test: (item: T) => boolean): [T[], T[]] {
  return [list.filter(test), list.filter((item) => !test(item))];
}

/** The two round trips every plain message shares: touch the visitors, then insert all their events. */
async function writeShared(d: Db, live: Live[]): Promise<Written[]> {
  const seen = live.map(({ visit }) => {
    const times = visit.items.map((item) => item.message.body.receivedAt);
    return { storeId: visit.storeId, visitorId: visit.visitorId, firstSeenAt: Math.min(...times), lastSeenAt: Math.max(...times) };
  });
  const touched = await touchVisitors(d, seen);
  const contactOf = new Map(touched.map((v) => [`${v.storeId}\u0000${v.visitorId}`, v.contactId]));
  const written = await Promise.all(
    live.map(({ visit, store }) => {
      const contactId = contactOf.get(visit.key);
      if (contactId === undefined) throw new Error(`visitor ${visit.visitorId} was not touched`);
      return attributeVisit(d, visit, store, contactId);
    }),
  );
  await insertEvents(d, written.flatMap((w) => w.rows));
  return written;
}

/** The rows, latest cart and agent events the one-message path would produce for each of the visitor's messages. */
async function attributeVisit(d: Db, visit: Visit, store: Store, contactId: string | null): Promise<Written> {
  const written: Written = { visit, contactId, rows: [], cart: null, sent: [] };
  for (const { message, events } of visit.items) {
    const body = message.body;
    const { rows, lastCart, attributed } = await attribute(identifyContext(d, store, body), body, events, contactId);
    written.rows.push(...rows);
    // Snapshots only move forward in time, so saving the newest is what saving each in arrival order leaves.
    if (lastCart && (!written.cart || lastCart.at > written.cart.seen.at)) written.cart = { message: body, seen: lastCart };
    written.sent.push({ receivedAt: body.receivedAt, events: storefrontEvents(body.storeId, body.visitorId, attributed) });
  }
  return written;
}

/** Carts, time zones and agent deliveries; returns the visitors whose follow-up failed. */
async function followUp(env: Env, d: Db, written: Written[]): Promise<Set<string>> {
  const tasks: FollowUp[] = [];
  for (const w of written) {
    const cart = w.cart;
    if (cart) tasks.push({ keys: [w.visit.key], run: () => saveCart(d, cart.message, cart.seen) });
  }
  for (const group of byContact(written)) {
    tasks.push({ keys: group.map((w) => w.visit.key), run: () => rememberZones(d, group) });
    const events = group
      .flatMap((w) => w.sent)
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .flatMap((s) => s.events);
    if (events.length > 0) tasks.push({ keys: group.map((w) => w.visit.key), run: () => deliverToAgents(env, events) });
  }
  const results = await Promise.allSettled(tasks.map((task) => task.run()));
  const failed = new Set<string>();
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    console.error('collect follow-up failed; one message at a time', result.reason);
    for (const key of tasks[i]!.keys) failed.add(key);
  });
  return failed;
}

/** Visitors linked to the same contact, grouped by (store, contact); anonymous visitors have nothing to follow. */
function byContact(written: Written[]): Written[][] {
  const known = written.filter((w) => w.contactId);
  return [...Map.groupBy(known, (w) => `${w.visit.storeId}\u0000${w.contactId}`).values()];
}

/** In arrival order, as the one-message path would; a repeat of the zone just written changes nothing, so skip it. */
async function rememberZones(d: Db, group: Written[]): Promise<void> {
  const messages = group
    .flatMap((w) => w.visit.items.map((item) => item.message.body))
    .filter((m) => whereSeen(m) !== null)
    .sort((a, b) => a.receivedAt - b.receivedAt);
  let last: string | null = null;
  for (const message of messages) {
    const zone = whereSeen(message);
    if (zone === last) continue;
    await rememberWhereSeen(d, message, group[0]!.contactId);
    last = zone;
  }
}
