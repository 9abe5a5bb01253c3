import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../../contacts/domain-events';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { findOrder } from '../../db/queries/orders';
import { findVisitor } from '../../db/queries/visitors';
import { fixture, seedStore, wireText } from '../../test/woo-fixtures';
import { processCollectMessage } from './collect-processor';
import type { CollectMessage } from '../messages';
import { processWooMessage } from '../woo/woo-processor';

const T0 = 1_700_000_000_000;
const d = () => db(env.DB);

/** Signed, as the plugin sends a checkout's identify: an unsigned browser email is only a claim (identity-claims.test.ts). */
function beacons(storeId: string, visitorId: string, events: Record<string, unknown>[]): CollectMessage {
  return { kind: 'collect', storeId, trusted: true, visitorId, receivedAt: T0 + 60_000, ipHash: null, userAgent: null, events };
}

const cart = { items: [{ productId: 5, quantity: 2, price: 10 }], value: 20, currency: 'EUR' };
const agentEvents = (storeId: string, contactId: string) =>
  env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId)).listEvents();

describe('storefront identity across sources', () => {
  it('joins the guest order of a WooCommerce delivery to the contact the storefront identified', async () => {
    const store = 'stitch-order';
    await seedStore(store);
    const guest = fixture('order.created.guest');
    const raw = wireText(guest.raw_body);
    const order = JSON.parse(raw) as { id: number; billing: { email: string } };
    await processCollectMessage(
      env,
      beacons(store, 'v_guest_visitor', [
        { id: 'evt_guest_01', type: 'identify', ts: T0, email: order.billing.email, consent: { emailMarketing: true } },
      ]),
    );
    const identified = await findContactByEmail(d(), store, order.billing.email);
    expect(identified).toBeDefined();

    await processWooMessage(env, {
      kind: 'woo',
      storeId: store,
      deliveryId: guest.delivery_id,
      topic: guest.topic,
      receivedAt: T0 + 120_000,
      body: { inline: raw },
    });
    expect((await findOrder(d(), store, order.id))?.contactId).toBe(identified!.id);
    expect((await findVisitor(d(), store, 'v_guest_visitor'))?.contactId).toBe(identified!.id);
  });

  it('tells the contact agent about identification, the handed-over cart and checkout, once each', async () => {
    const store = 'stitch-agent';
    await seedStore(store);
    const anonymous = beacons(store, 'v_agent_visitor', [{ id: 'evt_cart_001', type: 'cart_updated', ts: T0, cart }]);
    await processCollectMessage(env, anonymous);
    const later = beacons(store, 'v_agent_visitor', [
      { id: 'evt_ident_01', type: 'identify', ts: T0 + 1000, email: 'agent@example.com', consent: { emailMarketing: true }, source: 'popup' },
      { id: 'evt_check_01', type: 'checkout_started', ts: T0 + 2000, cart },
      { id: 'evt_view_001', type: 'page_view', ts: T0 + 3000, url: 'https://shop.example/checkout' },
    ]);
    await processCollectMessage(env, later);
    await processCollectMessage(env, later);

    const contact = await findContactByEmail(d(), store, 'agent@example.com');
    const events = await agentEvents(store, contact!.id);
    expect(events.map((e) => e.type)).toEqual(['identified', 'checkout_started', 'page_view', 'cart_updated']);
    expect(events[0]).toMatchObject({ type: 'identified', source: 'popup', visitorId: 'v_agent_visitor' });
    expect(events[3]).toMatchObject({ type: 'cart_updated', occurredAt: T0 + 2000, cart: { value: 20, itemCount: 2 } });
  });

  it('does not hand over the stored cart again when the batch brings a later cart_updated', async () => {
    const store = 'stitch-no-double';
    await seedStore(store);
    await processCollectMessage(env, beacons(store, 'v_double_cart', [{ id: 'evt_cart_old', type: 'cart_updated', ts: T0, cart }]));
    await processCollectMessage(
      env,
      beacons(store, 'v_double_cart', [
        { id: 'evt_ident_02', type: 'identify', ts: T0 + 1000, email: 'double@example.com', consent: { emailMarketing: true } },
        { id: 'evt_cart_new', type: 'cart_updated', ts: T0 + 2000, cart: { ...cart, value: 30 } },
      ]),
    );
    const contact = await findContactByEmail(d(), store, 'double@example.com');
    const events = await agentEvents(store, contact!.id);
    expect(events.map((e) => [e.type, e.id])).toEqual([
      ['identified', 'v_double_cart:evt_ident_02'],
      ['cart_updated', 'v_double_cart:evt_cart_new'],
    ]);
  });
});
