import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ContactAgent } from '../../contacts/contact-agent';
import { contactAgentName } from '../../contacts/domain-events';
import { JourneyOutbox } from '../../contacts/runtime/journey-outbox';
import { TimerTable } from '../../contacts/runtime/timer-table';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findContactByEmail, findOrCreateContactByEmail, type Contact } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { findStore, upsertStore, type Store } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { SendEmailAction } from '../../journeys/actions';
import { middayZone } from '../../test/clock';
import { SENDER_HOLD_MS } from './sender';

const d = () => db(env.DB);
const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const ADDRESS = '8 quai des Brumes, 13002 Marseille';

async function freshStore(id: string): Promise<Store> {
  // A store as connecting leaves it: no sender, no postal address.
  await upsertStore(d(), { id, name: 'Braise & Co', siteUrl: 'https://shop.example', webhookSecret: `whsec_${id}_0123456789`, siteKey: `pk_${id}`, timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1 });
  return (await findStore(d(), id))!;
}

async function subscriber(store: Store, email: string, locale: 'fr' | 'en'): Promise<Contact> {
  const { contact } = await findOrCreateContactByEmail(d(), store.id, email, Date.now() - 60_000, { firstName: 'Inès', locale });
  await appendConsents(d(), [{ storeId: store.id, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: Date.now() - 60_000 }]);
  return contact;
}

function welcome(enrollmentId: string, transactional = false): SendEmailAction {
  return {
    type: 'send_email', template: transactional ? 'cart.reminder.1' : 'welcome.1', context: { coupons: [] }, params: {}, choices: [], products: [], categories: [],
    idempotencyKey: `${enrollmentId}:email_1`, flowId: transactional ? 'abandoned-cart' : 'welcome', flowVersion: 1, enrollmentId, nodeId: 'email_1',
    ...(transactional ? { guard: { priority: 'high' as const, onCap: 'defer' as const, transactional: true, enteredAt: Date.now() - 60_000, trigger: 'cart_updated', topics: [] } } : {}),
  };
}

async function decision(storeId: string, key: string) {
  return env.DB.prepare('SELECT decision, reason, deferrals FROM send_decisions WHERE store_id = ? AND idempotency_key = ?').bind(storeId, key).first();
}

async function setSender(storeId: string, body: Record<string, string>) {
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/settings`, { method: 'PATCH', headers: AUTH, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('promotional email waits for a sender and a postal address', () => {
  for (const [locale, subject, body] of [
    ['fr', 'Bienvenue chez Braise & Co, Inès !', 'Merci de rejoindre Braise &amp; Co'],
    ['en', 'Welcome to Braise & Co, Inès!', 'Thanks for joining Braise &amp; Co'],
  ] as const) {
    it(`holds a welcome email (${locale}) with sender_incomplete, keeps it, and sends it once both are set`, async () => {
      const store = await freshStore(`snd-${locale}`);
      const contact = await subscriber(store, `ines.${locale}@example.com`, locale);
      const action = welcome(`enr-snd-${locale}`);
      const agent = env.CONTACT_AGENT.getByName(contactAgentName(store.id, contact.id));
      const now = Date.now();
      await runInDurableObject(agent, async (_agent: ContactAgent, state) => {
        const outbox = new JourneyOutbox(state.storage, new TimerTable(state.storage));
        const ctx = (at: number, s = store) => ({ env, d: d(), store: s, contact, now: at });
        state.storage.transactionSync(() => outbox.append([action]));

        expect(await outbox.drain(ctx(now))).toBe(0);
        expect(outbox.list()).toMatchObject([{ dueAt: now + SENDER_HOLD_MS }]);
        expect(await decision(store.id, action.idempotencyKey)).toMatchObject({ decision: 'defer', reason: 'sender_incomplete' });
        expect(await listContactMessages(d(), store.id, contact.id)).toEqual([]);

        // Half-done is still held: the footer needs the postal address.
        await setSender(store.id, { fromEmail: 'bonjour@braise.example', fromName: 'Braise & Co' });
        expect(await outbox.drain(ctx(now + SENDER_HOLD_MS))).toBe(0);
        expect(await decision(store.id, action.idempotencyKey)).toMatchObject({ decision: 'defer', reason: 'sender_incomplete', deferrals: 2 });

        await setSender(store.id, { postalAddress: ADDRESS });
        expect(await outbox.drain(ctx(now + 2 * SENDER_HOLD_MS - 1))).toBe(0);
        expect(await outbox.drain(ctx(now + 2 * SENDER_HOLD_MS))).toBe(1);
        expect(outbox.list()).toEqual([]);
      });
      expect(await decision(store.id, action.idempotencyKey)).toMatchObject({ decision: 'send', reason: null });
      const [message, ...more] = await listContactMessages(d(), store.id, contact.id);
      expect(more).toEqual([]);
      expect(message).toMatchObject({ status: 'outbox', subject, to: contact.email });
      expect(message!.html).toContain(body);
      expect(message!.html).toContain(ADDRESS.replace(/ /g, ' '));
      expect(message!.text).toContain(`Braise & Co, ${ADDRESS}`);
    });
  }

  it('lets a transactional-like cart reminder and a double opt-in confirmation go meanwhile', async () => {
    const store = await freshStore('snd-through');
    const contact = await subscriber(store, 'cart@example.com', 'fr');
    const action = welcome('enr-snd-cart', true);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store.id, contact.id));
    await runInDurableObject(agent, async (_agent: ContactAgent, state) => {
      const outbox = new JourneyOutbox(state.storage, new TimerTable(state.storage));
      state.storage.transactionSync(() => outbox.append([action]));
      expect(await outbox.drain({ env, d: d(), store, contact, now: Date.now() })).toBe(1);
    });
    expect(await listContactMessages(d(), store.id, contact.id)).toMatchObject([{ status: 'outbox', channel: 'email' }]);

    const at = Date.now();
    await processCollectMessage(env, {
      kind: 'collect', storeId: store.id, trusted: false, visitorId: 'v_snd_doi', receivedAt: at, ipHash: 'c'.repeat(64), userAgent: 'Browser/1',
      events: [{ id: 'evt_snd_doi', type: 'identify', ts: at - 1000, email: 'doi@example.com', source: 'popup', consent: { emailMarketing: true, textVersion: 'popup-v1' } }],
    });
    const doi = (await findContactByEmail(d(), store.id, 'doi@example.com'))!;
    expect(await listContactMessages(d(), store.id, doi.id)).toMatchObject([{ status: 'outbox', subject: 'Confirmez votre inscription à Braise & Co' }]);
  });
});
