import { env } from 'cloudflare:test';
import type { ExecutorContext } from '../../../contacts/executors/types';
import { db, type Db } from '../../../db/client';
import { appendConsents, type NewConsent } from '../../../db/queries/consents';
import { findOrCreateContactByEmail, type Contact } from '../../../db/queries/contacts';
import { insertEvents } from '../../../db/queries/events';
import { upsertStore, findStore, type Store } from '../../../db/queries/stores';
import { OutboxChannel, OutboxSmsChannel } from '../../channels';
import { deliverEmail, deliverSms, messageIdFor } from '../../email/deliver';
import { checkSend, type GuardrailDecision, type SendRequest } from '../index';
import { completeSender } from '../../../test/sender';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Tuesday 24 November 2026, 10:00 in Paris (09:00 UTC): inside waking hours. */
export const T0 = Date.UTC(2026, 10, 24, 9, 0);

export type World = { d: Db; store: Store; contact: Contact; ctx: (now: number) => ExecutorContext };

type Options = { timezone?: string; createdAt?: number; smsConsent?: boolean; email?: string };

/** A store and one active contact with email marketing consent, created through the query functions. */
export async function world(storeId: string, o: Options = {}): Promise<World> {
  const d = db(env.DB);
  await upsertStore(d, { id: storeId, name: storeId, webhookSecret: 'whsec', siteKey: `pk_${storeId}`, timezone: o.timezone ?? 'Europe/Paris', createdAt: 1, updatedAt: 1 });
  await completeSender(d, storeId);
  const createdAt = o.createdAt ?? T0 - DAY;
  const { contact } = await findOrCreateContactByEmail(d, storeId, o.email ?? `zoe@${storeId}.test`, createdAt, { phone: '+33612345678' });
  const grant: NewConsent = { storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: createdAt };
  await appendConsents(d, o.smsConsent ? [grant, { ...grant, channel: 'sms' }] : [grant]);
  const store = await findStore(d, storeId);
  if (!store) throw new Error('store not stored');
  return { d, store, contact, ctx: (now) => ({ env, d, store, contact, now }) };
}

export function request(over: Partial<SendRequest> = {}): SendRequest {
  return {
    channel: 'email',
    idempotencyKey: `enr_${Math.random().toString(36).slice(2)}:email_1`,
    flowId: 'welcome',
    priority: 'normal',
    onCap: 'defer',
    transactional: false,
    enteredAt: T0 - HOUR,
    trigger: 'customer.created',
    products: [],
    topics: [],
    categories: [],
    ...over,
  };
}

/** The real send path in miniature: the guardrails decide, then the outbox channel records the message. */
export async function send(w: World, req: SendRequest, now: number): Promise<GuardrailDecision> {
  const decision = await checkSend(w.ctx(now), req);
  if (decision.action !== 'send') return decision;
  const id = await messageIdFor(w.store.id, req.idempotencyKey);
  const record = { storeId: w.store.id, contactId: w.contact.id, idempotencyKey: req.idempotencyKey, ...(req.flowId ? { flowId: req.flowId } : {}) };
  if (req.channel === 'sms') {
    await deliverSms(w.d, new OutboxSmsChannel(), record, { sendId: id, to: w.contact.phone ?? '', body: 'Hello' }, { now, timeZone: 'UTC', smsWindow: { opens: '00:00', closes: '24:00', days: [1, 2, 3, 4, 5, 6, 7] } });
  } else {
    const email = { sendId: id, from: 'shop@example.com', to: w.contact.email ?? '', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', listUnsubscribeUrl: 'https://ns.example.com/u/x' };
    await deliverEmail(w.d, new OutboxChannel(), record, email, now);
  }
  return decision;
}

/** A storefront visit recorded the way the collect processor records it. */
export async function visit(w: World, at: number, type = 'page_view'): Promise<void> {
  await insertEvents(w.d, [
    { storeId: w.store.id, eventKey: `v:${type}:${at}`, type, visitorId: 'v1', contactId: w.contact.id, properties: {}, source: 'browser', occurredAt: at, receivedAt: at },
  ]);
}
