import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../../contacts/domain-events';
import { db } from '../../db/client';
import { findCartOfVisitor } from '../../db/queries/carts';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { listContactMessages } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { hmacSha256, toHex } from '../../lib/hmac';
import { middayZone } from '../../test/clock';
import { deliverMore, MORE_SECRET } from '../../test/woo-more-fixtures';
import { processCollectMessage } from './collect-processor';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const MIN = 60_000;

/** The two captured orders: a guest's block (Store API) checkout by cheque, a customer's classic checkout by COD. */
const STORE_API = { email: 'elodie.bloc2@example.fr', orderId: 31, customerId: 0, via: 'store-api', fixture: 'order.created.store-api' } as const;
const CLASSIC_COD = { email: 'camille.martin@example.fr', orderId: 29, customerId: 3, via: 'checkout', fixture: 'order.created.classic-cod' } as const;
type Buyer = typeof STORE_API | typeof CLASSIC_COD;

const CART = { items: [{ productId: 13, quantity: 1, price: 19.9, name: 'Bougie' }], value: 19.9, currency: 'EUR' };

async function store(id: string) {
  await upsertStore(d(), {
    id, name: id, siteUrl: `https://${id}.example`, webhookSecret: MORE_SECRET, siteKey: `pk_${id}`, allowedOrigins: [`https://${id}.example`],
    timezone: middayZone(Date.now()), locale: 'fr', createdAt: 1, updatedAt: 1,
  });
  const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
  expect(res.status).toBe(200);
}

/** What the plugin sends: the cart, then the checkout's email capture (identify + checkout_started), signed. */
async function buyerAtCheckout(storeId: string, buyer: Buyer, visitorId: string, t0: number) {
  const base = { kind: 'collect', storeId, trusted: true, visitorId, ipHash: null, userAgent: null } as const;
  await processCollectMessage(env, { ...base, receivedAt: t0, events: [{ id: `cart_${visitorId}`, type: 'cart_updated', ts: t0, cart: CART }] });
  await processCollectMessage(env, {
    ...base, receivedAt: t0 + 1000,
    events: [
      { id: `capture_${visitorId}`, type: 'identify', ts: t0 + 1000, email: buyer.email, source: 'checkout', consent: { emailMarketing: true } },
      { id: `started_${visitorId}`, type: 'checkout_started', ts: t0 + 1000, cart: CART },
    ],
  });
  const contact = (await findContactByEmail(d(), storeId, buyer.email))!;
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id));
  const [idle] = (await agent.journeyStatus()).pendingTimers;
  expect(idle, 'the capture enrolled the buyer in the cart flow').toBeDefined();
  return { contact, agent, reminderDue: idle!.dueAt };
}

/** The plugin's `order_placed`, sent at shutdown of the checkout request (order still `pending`: no payment yet). */
async function placeOrder(storeId: string, buyer: Buyer, visitorId: string, at: number) {
  await processCollectMessage(env, {
    kind: 'collect', storeId, trusted: true, visitorId, ipHash: null, userAgent: null, receivedAt: at,
    events: [{
      id: `order_${visitorId}`, type: 'order_placed', ts: at, orderId: buyer.orderId, status: 'pending', total: 19.9, currency: 'EUR',
      email: buyer.email, customerId: buyer.customerId, via: buyer.via, couponCodes: ['BIENVENUE10'], items: [{ productId: 13, quantity: 1, price: 19.9 }],
    }],
  });
}

describe('an order stops the cart cascade at once', () => {
  for (const buyer of [STORE_API, CLASSIC_COD]) {
    it(`${buyer.via} checkout (${buyer.fixture}): no cart message, even when the webhook comes after the reminder was due`, async () => {
      const storeId = `os-${buyer.via}`;
      const visitorId = `v_os_${buyer.orderId}_visitor`;
      await store(storeId);
      const t0 = Date.now();
      const { contact, agent, reminderDue } = await buyerAtCheckout(storeId, buyer, visitorId, t0);

      await placeOrder(storeId, buyer, visitorId, t0 + 20_000);
      expect((await agent.journeyStatus()).pendingTimers).toEqual([]);
      expect(await runDurableObjectAlarm(agent)).toBe(false);
      await agent.runDue(reminderDue + 5 * MIN);
      await deliverMore(storeId, buyer.fixture, reminderDue + 3 * MIN);
      await agent.runDue(reminderDue + 48 * 60 * MIN);

      expect(await listContactMessages(d(), storeId, contact.id)).toEqual([]);
      const enrollments = await listContactEnrollments(d(), storeId, contact.id);
      expect(enrollments.map((e) => [e.flowId, e.status])).toEqual([['abandoned-cart', 'exited']]);
      const placed = (await agent.listEvents()).filter((e) => e.type === 'order.placed');
      expect(placed.map((e) => e.id)).toEqual([`woo:order:${buyer.orderId}:placed`]);
      expect(placed[0]).toMatchObject({ status: 'pending', couponCodes: ['bienvenue10'], lines: [{ productId: 13, quantity: 1, price: 19.9 }] });
      const rows = await env.DB.prepare('SELECT count(*) AS n FROM events WHERE store_id = ? AND event_key = ?').bind(storeId, `woo:order:${buyer.orderId}:placed`).first<{ n: number }>();
      expect(rows?.n).toBe(1);
      expect(await findCartOfVisitor(d(), storeId, visitorId)).toMatchObject({ status: 'converted', orderId: buyer.orderId });
    });
  }

  it('without the plugin event, an unpaid order webhook (cash on delivery, date_paid null) still ends the flow', async () => {
    const storeId = 'os-webhook-only';
    const visitorId = 'v_os_webhook_only';
    await store(storeId);
    const t0 = Date.now();
    const { contact, agent, reminderDue } = await buyerAtCheckout(storeId, CLASSIC_COD, visitorId, t0);
    await deliverMore(storeId, CLASSIC_COD.fixture, t0 + 2 * MIN);
    await agent.runDue(reminderDue + 48 * 60 * MIN);
    expect(await listContactMessages(d(), storeId, contact.id)).toEqual([]);
    expect((await listContactEnrollments(d(), storeId, contact.id))[0]).toMatchObject({ status: 'exited' });
  });

  it('a later checkout capture does not hand the converted cart back to the flow', async () => {
    const storeId = 'os-recapture';
    const visitorId = 'v_os_recapture';
    await store(storeId);
    const t0 = Date.now();
    const { contact, agent } = await buyerAtCheckout(storeId, STORE_API, visitorId, t0);
    await placeOrder(storeId, STORE_API, visitorId, t0 + 20_000);
    await processCollectMessage(env, {
      kind: 'collect', storeId, trusted: true, visitorId, ipHash: null, userAgent: null, receivedAt: t0 + 30_000,
      events: [{ id: 'capture_again', type: 'identify', ts: t0 + 30_000, email: STORE_API.email, source: 'checkout' }],
    });
    expect((await agent.journeyStatus()).pendingTimers).toEqual([]);
    expect(await listContactEnrollments(d(), storeId, contact.id)).toHaveLength(1);
    // WooCommerce empties the cart once the order is placed (woocommerce_cart_emptied): it stays converted.
    await processCollectMessage(env, {
      kind: 'collect', storeId, trusted: true, visitorId, ipHash: null, userAgent: null, receivedAt: t0 + 31_000,
      events: [{ id: 'emptied_after_order', type: 'cart_updated', ts: t0 + 31_000, cart: { items: [], value: 0, currency: 'EUR' } }],
    });
    expect(await findCartOfVisitor(d(), storeId, visitorId)).toMatchObject({ status: 'converted', orderId: STORE_API.orderId });
  });

  it('accepts order_placed only in a signed batch', async () => {
    const storeId = 'os-browser';
    await store(storeId);
    const event = { id: 'order_forged_1', type: 'order_placed', ts: Date.now(), orderId: 5, status: 'pending', total: 1 };
    const body = JSON.stringify({ store: storeId, visitorId: 'v_os_browser_1', events: [event] });
    const browser = await SELF.fetch('https://ns.test/collect', {
      method: 'POST', body, headers: { 'Content-Type': 'application/json', Origin: `https://${storeId}.example` },
    });
    expect(browser.status).toBe(403);
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${toHex(await hmacSha256(MORE_SECRET, `${t}.${body}`))}`;
    const signed = await SELF.fetch('https://ns.test/collect', {
      method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': signature },
    });
    expect(signed.status).toBe(204);
  });
});
