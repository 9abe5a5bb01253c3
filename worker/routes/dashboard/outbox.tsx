import { Hono } from 'hono';
import { z } from 'zod';
import { contactJourneys } from '../../contacts/runtime/journey-view';
import { db, type Db } from '../../db/client';
import { consentLedger, consentsInForce, listOrders } from '../../db/queries/admin-views';
import { findContact, findContactByEmail, type Contact } from '../../db/queries/contacts';
import { listStoreMessages } from '../../db/queries/dashboard';
import { findMessage } from '../../db/queries/messages';
import type { ContactDetails } from '../../dashboard/views/contact';
import { ContactPage } from '../../dashboard/views/contact';
import { MessagePage, OutboxPage } from '../../dashboard/views/outbox';
import { notFound, validationError } from '../../errors';
import { base, requireDashboardStore, type DashboardEnv } from './context';

export const ContactLookupQuery = z.object({ email: z.string().trim().max(320).default('') });
export type ContactLookupQuery = z.infer<typeof ContactLookupQuery>;

const OUTBOX_LIMIT = 100;

/** Profile, consents in force, orders and enrollments: the same reads as `GET /api/contacts/:id`. */
async function contactDetails(env: Env, d: Db, storeId: string, contact: Contact): Promise<ContactDetails> {
  const [ledger, orders, journeys] = await Promise.all([
    consentLedger(d, storeId, contact.id),
    listOrders(d, storeId, contact.id, 50),
    contactJourneys(env, d, storeId, contact.id),
  ]);
  return { contact, consents: consentsInForce(ledger), orders, enrollments: journeys.enrollments };
}

/** The store's latest messages with their rendered content, and contact lookup. */
export const outboxPages = new Hono<DashboardEnv>()
  .get('/:store/messages', async (c) => {
    const store = await requireDashboardStore(c);
    const messages = await listStoreMessages(db(c.env.DB), store.id, OUTBOX_LIMIT);
    return c.html(<OutboxPage {...base(c)} store={store} messages={messages} />);
  })
  .get('/:store/messages/:id', async (c) => {
    const store = await requireDashboardStore(c);
    const message = await findMessage(db(c.env.DB), store.id, c.req.param('id'));
    if (!message) throw notFound(`Message ${c.req.param('id')}`);
    return c.html(<MessagePage {...base(c)} store={store} message={message} />);
  })
  .get('/:store/contacts', async (c) => {
    const store = await requireDashboardStore(c);
    const q = ContactLookupQuery.safeParse(c.req.query());
    if (!q.success) throw validationError(q.error, 'query');
    const d = db(c.env.DB);
    const contact = q.data.email ? await findContactByEmail(d, store.id, q.data.email) : undefined;
    const details = contact ? await contactDetails(c.env, d, store.id, contact) : null;
    return c.html(<ContactPage {...base(c)} store={store} email={q.data.email} details={details} searched={q.data.email !== ''} />);
  })
  .get('/:store/contacts/:id', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const contact = await findContact(d, store.id, c.req.param('id'));
    if (!contact) throw notFound(`Contact ${c.req.param('id')}`);
    const details = await contactDetails(c.env, d, store.id, contact);
    return c.html(<ContactPage {...base(c)} store={store} email={contact.email ?? ''} details={details} searched={false} />);
  });
