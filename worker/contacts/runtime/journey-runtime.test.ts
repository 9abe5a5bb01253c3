import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { middayZone } from '../../test/clock';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { listContactMessages, type Message } from '../../db/queries/messages';
import { linkSigningKey } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { CollectMessage } from '../../ingest/messages';
import { processWooMessage } from '../../ingest/woo/woo-processor';
import { verifyCartToken } from '../../lib/cart-token';
import { importTokenKey } from '../../lib/tokens';
import { readClickToken } from '../../messaging/email/links';
import { fixture, SECRET, wireText } from '../../test/woo-fixtures';
import { contactAgentName } from '../domain-events';

const MIN = 60_000;
const SITE = 'https://shop.example';
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
/** jane.doe of the WooCommerce fixtures: her order 17 is paid in `order.updated.processing`. */
const EMAIL = 'jane.doe@example.com';
const PHONE = '+33612345678';
const cart = { items: [{ productId: 10, quantity: 2, price: 20, name: 'Charcoal grill' }], value: 40, currency: 'EUR' };

async function seed(storeId: string, patch: Record<string, unknown> = { enabled: true, holdoutPercent: 0 }) {
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: SITE, webhookSecret: SECRET, siteKey: `pk_${storeId}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
  const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${storeId}`, { method: 'PATCH', headers: auth, body: JSON.stringify(patch) });
  expect(res.status).toBe(200);
}

/** Signed plugin-bridge beacons: identity with phone and consents, then the cart. */
function beacons(storeId: string, ts: number, events: Record<string, unknown>[]): CollectMessage {
  return { kind: 'collect', storeId, trusted: true, visitorId: 'v_journey_visitor', receivedAt: ts, ipHash: null, userAgent: null, events };
}

async function shopperWithCart(storeId: string) {
  const ts = Date.now();
  const message = beacons(storeId, ts, [
    { id: 'evt_ident_001', type: 'identify', ts, email: EMAIL, phone: PHONE, firstName: 'Jane', consent: { emailMarketing: true, smsMarketing: true }, source: 'checkout' },
    { id: 'evt_cart_0001', type: 'cart_updated', ts: ts + 1, cart },
  ]);
  await processCollectMessage(env, message);
  const contact = await findContactByEmail(d(), storeId, EMAIL);
  if (!contact) throw new Error('contact not created');
  return { contactId: contact.id, message, cartAt: ts + 1, agent: env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id)) };
}

async function payOrder(storeId: string) {
  const f = fixture('order.updated.processing');
  await processWooMessage(env, { kind: 'woo', storeId, deliveryId: f.delivery_id, topic: f.topic, receivedAt: Date.now(), body: { inline: wireText(f.raw_body) } });
}

const messagesOf = async (storeId: string, contactId: string): Promise<Message[]> => (await listContactMessages(d(), storeId, contactId)).reverse();

async function clickTargets(storeId: string, html: string): Promise<string[]> {
  const key = await importTokenKey(await linkSigningKey(d(), storeId, 0));
  const tokens = [...html.matchAll(/\/c\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
  const targets = await Promise.all(tokens.map((t) => readClickToken(key, t)));
  return targets.flatMap((t) => (t ? [t.url] : []));
}

describe('abandoned cart through the ContactAgent', () => {
  it('cart → 30 min → email in the outbox → not opened in 1 h → SMS → order paid → nothing more', async () => {
    const store = 'jr-cascade';
    await seed(store);
    const { contactId, agent, cartAt } = await shopperWithCart(store);
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    expect(idle).toMatchObject({ flowId: 'abandoned-cart' });
    expect(idle!.dueAt - cartAt).toBeGreaterThanOrEqual(30 * MIN - 1000);
    expect(idle!.dueAt - cartAt).toBeLessThanOrEqual(30 * MIN + 1000);

    await agent.runDue(idle!.dueAt - 1);
    expect(await messagesOf(store, contactId)).toEqual([]);

    await agent.runDue(idle!.dueAt);
    const [email] = await messagesOf(store, contactId);
    expect(email).toMatchObject({ channel: 'email', status: 'outbox', flowId: 'abandoned-cart', stepId: 'email_1', to: EMAIL });
    expect(email!.subject).toBeTruthy();
    const restore = (await clickTargets(store, email!.html ?? '')).find((u) => u.startsWith(`${SITE}/?nightshift_cart=`));
    expect(restore).toBeDefined();
    const token = new URL(restore!).searchParams.get('nightshift_cart')!;
    const check = await verifyCartToken(SECRET, token, store, Math.floor(Date.now() / 1000));
    expect(check).toMatchObject({ ok: true, payload: { visitorId: 'v_journey_visitor', items: [[10, 0, 2]] } });

    const [opened] = (await agent.journeyStatus()).pendingTimers;
    expect(opened!.dueAt).toBe(idle!.dueAt + 60 * MIN);
    await agent.runDue(opened!.dueAt);
    const sent = await messagesOf(store, contactId);
    expect(sent.map((m) => [m.channel, m.stepId, m.status])).toEqual([
      ['email', 'email_1', 'outbox'],
      ['sms', 'sms', 'outbox'],
    ]);
    expect(sent[1]).toMatchObject({ to: PHONE });
    expect(sent[1]!.text).toContain('STOP');

    const view = await SELF.fetch(`https://ns.test/api/contacts/${contactId}?store=${store}`, { headers: auth });
    const body = await view.json<{ journeys: { running: { flowId: string }[]; pendingTimers: unknown[]; enrollments: { status: string }[] } }>();
    expect(body.journeys.running).toMatchObject([{ flowId: 'abandoned-cart' }]);
    expect(body.journeys.pendingTimers).toHaveLength(1);
    expect(body.journeys.enrollments).toMatchObject([{ status: 'active' }]);

    await payOrder(store);
    const after = await agent.journeyStatus();
    expect(after.pendingTimers).toEqual([]);
    expect(after.running).toEqual([]);
    await agent.runDue(opened!.dueAt + 48 * 60 * MIN);
    expect(await messagesOf(store, contactId)).toHaveLength(2);
    const [enrollment] = await listContactEnrollments(d(), store, contactId);
    expect(enrollment).toMatchObject({ flowId: 'abandoned-cart', status: 'exited', converted: true });

    const listed = await SELF.fetch(`https://ns.test/api/messages?store=${store}&contact=${contactId}`, { headers: auth });
    const { messages } = await listed.json<{ messages: Message[] }>();
    expect(messages.map((m) => `${m.flowId}/${m.stepId}/${m.channel}/${m.status}`).sort()).toEqual([
      'abandoned-cart/email_1/email/outbox',
      'abandoned-cart/sms/sms/outbox',
    ]);
    expect(messages.every((m) => m.text.length > 0)).toBe(true);
  });

  it('sends nothing twice when the same timers run again or the same beacons are replayed', async () => {
    const store = 'jr-once';
    await seed(store);
    const { contactId, agent, message } = await shopperWithCart(store);
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    await agent.runDue(idle!.dueAt);
    await agent.runDue(idle!.dueAt);
    await processCollectMessage(env, message);
    await agent.runDue(idle!.dueAt + 1);
    expect(await messagesOf(store, contactId)).toHaveLength(1);
    expect((await agent.journeyStatus()).running).toHaveLength(1);
    expect((await agent.journeyStatus()).pendingActions).toEqual([]);
  });

  it('runs an overdue timer once from the real alarm', async () => {
    const store = 'jr-alarm';
    await seed(store);
    const { contactId, agent } = await shopperWithCart(store);
    const past = Date.now() - 3 * 60 * MIN;
    const lateCart = { ...cart, items: [{ ...cart.items[0]!, quantity: 3 }], value: 60 };
    await processCollectMessage(env, beacons(store, past, [{ id: 'evt_cart_0002', type: 'cart_updated', ts: past, cart: lateCart }]));
    // The idle wait restarted with the newer cart; replay it as if the agent had recorded it hours ago.
    const events = (await agent.listEvents()).filter((e) => e.type === 'cart_updated').map((e) => ({ ...e, id: `${e.id}:late` }));
    await agent.recordEvents(events, past);
    const [timer] = (await agent.journeyStatus()).pendingTimers;
    expect(timer!.dueAt).toBeLessThan(Date.now());
    await runDurableObjectAlarm(agent);
    await vi.waitFor(async () => expect(await messagesOf(store, contactId)).toHaveLength(1));
    await runDurableObjectAlarm(agent);
    expect(await messagesOf(store, contactId)).toHaveLength(1);
    expect((await agent.journeyStatus()).pendingTimers[0]!.dueAt).toBeGreaterThan(Date.now());
  });

  it('a purchase that arrives while the reminder is already due cancels it in the same serial call', async () => {
    const store = 'jr-race';
    await seed(store);
    const { contactId, agent } = await shopperWithCart(store);
    const events = (await agent.listEvents()).filter((e) => e.type === 'cart_updated').map((e) => ({ ...e, id: `${e.id}:early` }));
    await agent.recordEvents(events, Date.now() - 45 * MIN);
    const [due] = (await agent.journeyStatus()).pendingTimers;
    expect(due!.dueAt).toBeLessThan(Date.now());
    await payOrder(store);
    expect((await agent.journeyStatus()).pendingTimers).toEqual([]);
    await agent.runDue(Date.now());
    await runDurableObjectAlarm(agent);
    expect(await messagesOf(store, contactId)).toEqual([]);
  });
});
