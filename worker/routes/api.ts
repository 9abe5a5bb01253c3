import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { notFound, validationError } from '../errors';
import { parseQuery } from '../lib/validate';
import { adminAuth } from '../lib/bearer-auth';
import { contactJourneys } from '../contacts/runtime/journey-view';
import { contactScores } from '../segments/scores/contact-view';
import { db } from '../db/client';
import type { Store } from '../db/queries/stores';
import { findStore } from '../db/queries/stores';
import { findContact, findContactByEmail } from '../db/queries/contacts';
import {
  consentLedger,
  consentsInForce,
  contactVisitorIds,
  latestCart,
  listContacts,
  listOrders,
  recentEvents,
  storeCounts,
  webhookHealth,
} from '../db/queries/admin-views';
import { webhookRejectionsSince } from '../db/queries/onboarding';

/**
 * Admin read API. The store is addressed by `?store=<id>` (or the path on /stores/:store);
 * every query below is scoped by it. Auth is applied per route: this sub-app is mounted at
 * /api next to store-token routes that must not inherit the admin guard.
 */
const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const Limit = z.coerce.number().int().min(1).max(200).default(50);

export const ContactsQuery = z.object({ store: StoreId, email: z.string().trim().min(1).max(320).optional(), limit: Limit });
export type ContactsQuery = z.infer<typeof ContactsQuery>;
export const ContactQuery = z.object({ store: StoreId, events: Limit });
export type ContactQuery = z.infer<typeof ContactQuery>;
export const OrdersQuery = z.object({ store: StoreId, contact: z.string().min(1).max(64).optional(), limit: Limit });
export type OrdersQuery = z.infer<typeof OrdersQuery>;
export const FailuresQuery = z.object({ failures: z.coerce.number().int().min(1).max(100).default(20) });
export type FailuresQuery = z.infer<typeof FailuresQuery>;

async function requireStore(c: Context<AppEnv>, storeId: string): Promise<Store> {
  const store = await findStore(db(c.env.DB), storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  return store;
}

/** What an admin may see of a store: never the webhook secret or the connect token hash. */
function publicStore(store: Store) {
  const { webhookSecret: _secret, connectTokenHash, previousWebhookSecret, pendingWebhookSecret: pending, ...rest } = store;
  return { ...rest, connectTokenIssued: connectTokenHash !== null, previousSecretKept: previousWebhookSecret !== null, rotationPending: pending !== null };
}

export const api = new Hono<AppEnv>()
  .get('/contacts', adminAuth(), async (c) => {
    const q = parseQuery(c, ContactsQuery);
    const store = await requireStore(c, q.store);
    const d = db(c.env.DB);
    if (q.email) {
      const contact = await findContactByEmail(d, store.id, q.email);
      return c.json({ contacts: contact ? [contact] : [] });
    }
    return c.json({ contacts: await listContacts(d, store.id, q.limit) });
  })
  .get('/contacts/:id', adminAuth(), async (c) => {
    const q = parseQuery(c, ContactQuery);
    const store = await requireStore(c, q.store);
    const d = db(c.env.DB);
    const contact = await findContact(d, store.id, c.req.param('id'));
    if (!contact) throw notFound(`Contact ${c.req.param('id')}`);
    const visitorIds = await contactVisitorIds(d, store.id, contact.id);
    const [ledger, orders, cart, events, journeys, scores] = await Promise.all([
      consentLedger(d, store.id, contact.id),
      listOrders(d, store.id, contact.id, 50),
      latestCart(d, store.id, contact.id, visitorIds),
      recentEvents(d, store.id, contact.id, visitorIds, q.events),
      contactJourneys(c.env, d, store.id, contact.id),
      contactScores(d, store.id, contact.id, Date.now()),
    ]);
    return c.json({
      contact,
      visitorIds,
      consents: { inForce: consentsInForce(ledger), ledger },
      orders,
      cart: cart ?? null,
      events,
      journeys,
      scores,
    });
  })
  .get('/orders', adminAuth(), async (c) => {
    const q = parseQuery(c, OrdersQuery);
    const store = await requireStore(c, q.store);
    const d = db(c.env.DB);
    if (q.contact && !(await findContact(d, store.id, q.contact))) throw notFound(`Contact ${q.contact}`);
    return c.json({ orders: await listOrders(d, store.id, q.contact, q.limit) });
  })
  .get('/stores/:store', adminAuth(), async (c) => {
    const id = StoreId.safeParse(c.req.param('store'));
    if (!id.success) throw validationError(id.error, 'store');
    const q = parseQuery(c, FailuresQuery);
    const store = await requireStore(c, id.data);
    const d = db(c.env.DB);
    const [webhooks, counts, rejected] = await Promise.all([webhookHealth(d, store.id, q.failures), storeCounts(d, store.id), webhookRejectionsSince(d, store.id, Date.now())]);
    return c.json({ store: publicStore(store), webhooks: { ...webhooks, rejectedLast7Days: rejected }, counts });
  });
