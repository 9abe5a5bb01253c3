import { env, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db/client';
import { findCartOfVisitor } from '../db/queries/carts';
import { findContactByEmail, findOrCreateContactByEmail } from '../db/queries/contacts';
import { countEvents } from '../db/queries/events';
import { upsertStore } from '../db/queries/stores';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';

describe('POST /collect through the real INGEST queue', () => {
  it('stores every accepted event once the consumer has run', async () => {
    const store = 'collect-queue';
    await upsertStore(db(env.DB), {
      id: store,
      name: store,
      webhookSecret: 'whsec_queue_test',
      siteKey: 'pk_collect_queue',
      allowedOrigins: ['https://shop.example'],
      createdAt: 1,
      updatedAt: 1,
    });
    const ts = Date.now();
    const body = JSON.stringify({
      siteKey: 'pk_collect_queue',
      visitorId: 'v_queue_visitor',
      events: [
        { id: 'evt_queue_001', type: 'page_view', ts, url: 'https://shop.example/' },
        { id: 'evt_queue_002', type: 'add_to_cart', ts: ts + 1, productId: 3, quantity: 1 },
        { id: 'evt_queue_003', type: 'cart_updated', ts: ts + 2, cart: { items: [{ productId: 3, quantity: 1, price: 9.5 }], value: 9.5 } },
      ],
    });
    const res = await SELF.fetch('https://ns.test/collect', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'https://shop.example' },
    });
    expect(res.status).toBe(204);
    await vi.waitFor(async () => expect(await countEvents(db(env.DB), store)).toBe(3), { timeout: 20_000, interval: 50 });
    expect((await findCartOfVisitor(db(env.DB), store, 'v_queue_visitor'))?.value).toBe(9.5);
  });

  it("passes the edge's geolocated time zone of a browser batch on to the contact", async () => {
    const store = 'collect-geo';
    await upsertStore(db(env.DB), {
      id: store, name: store, webhookSecret: 'whsec_geo_route_test', siteKey: 'pk_collect_geo',
      allowedOrigins: ['https://shop.example'], createdAt: 1, updatedAt: 1,
    });
    // A visitor already proven to be the contact (an unsigned email alone would only be a claim).
    const { contact } = await findOrCreateContactByEmail(db(env.DB), store, 'geo@example.com', Date.now());
    await touchVisitor(db(env.DB), store, 'v_geo_route_1', Date.now());
    await linkVisitorToContact(db(env.DB), store, 'v_geo_route_1', contact.id);
    const body = JSON.stringify({
      siteKey: 'pk_collect_geo',
      visitorId: 'v_geo_route_1',
      events: [{ id: 'evt_geo_001', type: 'page_view', ts: Date.now(), url: 'https://shop.example/' }],
    });
    const res = await SELF.fetch('https://ns.test/collect', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'https://shop.example' },
      cf: { timezone: 'America/Montreal' },
    });
    expect(res.status).toBe(204);
    await vi.waitFor(async () => expect((await findContactByEmail(db(env.DB), store, 'geo@example.com'))?.geoTimezone).toBe('America/Montreal'), {
      timeout: 20_000,
      interval: 50,
    });
  });
});
