import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../../contacts/domain-events';
import { db } from '../../db/client';
import { listConsents } from '../../db/queries/consents';
import { applyWooCustomerProfile, findContact, findContactByEmail, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { listContactMessages } from '../../db/queries/messages';
import { findOrder } from '../../db/queries/orders';
import { findProduct } from '../../db/queries/products';
import { linkSigningKey } from '../../db/queries/store-settings';
import { findVisitor } from '../../db/queries/visitors';
import { importTokenKey } from '../../lib/tokens';
import { unsubscribeUrl } from '../../messaging/email/links';
import { deliverMore, moreBody, seedMoreStore } from '../../test/woo-more-wire';
import { processCollectMessage } from '../collect/collect-processor';

const d = () => db(env.DB);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const HOUR = 3_600_000;
const cart = { items: [{ productId: 11, quantity: 1, price: 26.5, name: 'Bougie' }], value: 26.5, currency: 'EUR' };

async function storeWithCartFlow(store: string) {
  await seedMoreStore(store, 'https://boutique.example');
  const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
  expect(res.status).toBe(200);
}

/** A signed plugin batch: a checkout identify with both consents, then a cart; the cart flow starts. */
async function shopperWithCart(store: string, email: string, visitorId: string, ts = Date.now()) {
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId, receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: `evt_id_${visitorId}`, type: 'identify', ts, email, consent: { emailMarketing: true, smsMarketing: false }, source: 'checkout' },
      { id: `evt_cart_${visitorId}`, type: 'cart_updated', ts: ts + 1, cart },
    ],
  });
  const contact = await findContactByEmail(d(), store, email);
  if (!contact) throw new Error('contact not created');
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id));
  expect((await agent.journeyStatus()).running).toMatchObject([{ flowId: 'abandoned-cart' }]);
  return { contact, agent };
}

const bodyOf = (name: string) => JSON.parse(moreBody(name)) as Record<string, unknown>;

describe('customer.deleted', { timeout: 60_000 }, () => {
  it('ends the journeys of the customer it names and keeps the contact with its consent history', async () => {
    const store = 'lc-customer-deleted';
    await storeWithCartFlow(store);
    expect(await deliverMore(store, 'customer.deleted')).toMatchObject({ status: 'skipped', error: 'customer 4 is not one of ours' });

    const { contact, agent } = await shopperWithCart(store, 'lucie@example.fr', 'v_lucie_0001');
    expect(await applyWooCustomerProfile(d(), store, contact.id, { firstName: 'Lucie', lastName: null, phone: null, wooCustomerId: 4, sourceModifiedAt: 1 }, 1)).toBe(true);
    const consents = await listConsents(d(), store, contact.id);
    expect(consents.length).toBeGreaterThan(0);

    // The same `{"id":4}` bytes again would be the same delivery: this one is signed anew under another id.
    const row = await deliverMore(store, 'customer.deleted', { body: { id: 4 }, topic: 'customer.deleted' });
    expect(row).toMatchObject({ status: 'processed' });
    const status = await agent.journeyStatus();
    expect(status.running).toEqual([]);
    expect(status.pendingTimers).toEqual([]);
    await agent.runDue(Date.now() + 48 * HOUR);
    expect(await listContactMessages(d(), store, contact.id)).toEqual([]);
    expect(await listContactEnrollments(d(), store, contact.id)).toMatchObject([{ flowId: 'abandoned-cart', status: 'exited', exitReason: 'customer_deleted' }]);

    expect(await findContact(d(), store, contact.id)).toMatchObject({ email: 'lucie@example.fr', status: 'active', wooCustomerId: null });
    expect(await listConsents(d(), store, contact.id)).toEqual(consents);
  });
});

describe('deletes and restores', { timeout: 60_000 }, () => {
  it('order.restored undoes order.deleted; an unknown order keeps its tombstone', async () => {
    const store = 'lc-order-restore';
    await seedMoreStore(store);
    const order = { ...bodyOf('order.restored'), date_modified_gmt: '2026-12-02T03:50:00', status: 'on-hold' };
    expect(await deliverMore(store, 'order.restored', { body: order, topic: 'order.created' })).toMatchObject({ status: 'processed' });
    expect(await deliverMore(store, 'order.deleted.trash-rest')).toMatchObject({ status: 'processed' });
    expect((await findOrder(d(), store, 30))?.deletedAt).toEqual(expect.any(Number));
    expect(await deliverMore(store, 'order.restored')).toMatchObject({ status: 'processed' });
    expect(await findOrder(d(), store, 30)).toMatchObject({ status: 'on-hold', deletedAt: null });
    expect(await deliverMore(store, 'order.deleted.trash-admin')).toMatchObject({ status: 'processed' });
    expect((await findOrder(d(), store, 30))?.deletedAt).toEqual(expect.any(Number));
  });

  it('product and coupon deletes apply only to our own records of that resource (REST cross-fires)', async () => {
    const store = 'lc-crossfire';
    await seedMoreStore(store);
    const product = { ...bodyOf('product.restored'), date_modified_gmt: '2026-12-02T03:50:00' };
    expect(await deliverMore(store, 'product.restored', { body: product, topic: 'product.created' })).toMatchObject({ status: 'processed' });
    const coupon = { ...bodyOf('coupon.restored'), date_modified_gmt: '2026-12-02T03:50:00' };
    expect(await deliverMore(store, 'coupon.restored', { body: coupon, topic: 'coupon.created' })).toMatchObject({ status: 'processed' });

    // Trashing product 12 through REST also fired coupon.deleted {"id":12}; trashing coupon 28, product.deleted {"id":28}.
    expect(await deliverMore(store, 'coupon.deleted.rest-product-trash')).toMatchObject({ status: 'skipped', error: 'coupon 12 is not one of ours' });
    expect(await deliverMore(store, 'product.deleted.rest-coupon-trash')).toMatchObject({ status: 'skipped', error: 'product 28 is not one of ours' });
    const rows = async (table: string, id: number) =>
      (await env.DB.prepare(`SELECT id, deleted_at FROM ${table} WHERE store_id = ? AND id = ?`).bind(store, id).all()).results;
    expect(await rows('coupons', 12)).toEqual([]);
    expect(await rows('products', 28)).toEqual([]);
    expect(await rows('products', 12)).toEqual([{ id: 12, deleted_at: null }]);
    expect(await rows('coupons', 28)).toEqual([{ id: 28, deleted_at: null }]);

    expect(await deliverMore(store, 'product.deleted')).toMatchObject({ status: 'processed' });
    expect(await deliverMore(store, 'coupon.deleted')).toMatchObject({ status: 'processed' });
    expect((await findProduct(d(), store, 12))?.deletedAt).toEqual(expect.any(Number));
    expect((await rows('coupons', 28))[0]?.deleted_at).toEqual(expect.any(Number));

    expect(await deliverMore(store, 'product.restored')).toMatchObject({ status: 'processed' });
    expect(await deliverMore(store, 'coupon.restored')).toMatchObject({ status: 'processed' });
    expect(await findProduct(d(), store, 12)).toMatchObject({ deletedAt: null, price: 8.9 });
    expect(await rows('coupons', 28)).toEqual([{ id: 28, deleted_at: null }]);
  });

  it('a signed body without an id is acknowledged with 200, logged as skipped and never applied', async () => {
    const store = 'lc-no-id';
    await seedMoreStore(store);
    const row = await deliverMore(store, 'order.created.store-api.rest-no-route');
    expect(row).toMatchObject({ topic: 'order.created', status: 'skipped', error: 'order.created: body without an id (rest_no_route)' });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE store_id = ?').bind(store).first<{ n: number }>())?.n).toBe(0);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM contacts WHERE store_id = ?').bind(store).first<{ n: number }>())?.n).toBe(0);
  });
});

describe('email change in My Account', { timeout: 60_000 }, () => {
  const OLD = 'camille.martin@example.fr';
  const NEW = 'camille.nouvelle@example.fr';

  it('keeps the contact and its history under the new address', async () => {
    const store = 'lc-email-change';
    await seedMoreStore(store);
    await deliverMore(store, 'customer.updated.account-birthday');
    const before = await findContactByEmail(d(), store, OLD);
    expect(before).toMatchObject({ wooCustomerId: 3 });
    await deliverMore(store, 'order.created.classic-cod');
    expect((await findOrder(d(), store, 29))?.contactId).toBe(before!.id);

    expect(await deliverMore(store, 'customer.updated.email-change')).toMatchObject({ status: 'processed' });
    expect(await findContactByEmail(d(), store, OLD)).toBeUndefined();
    expect(await findContactByEmail(d(), store, NEW)).toMatchObject({ id: before!.id, wooCustomerId: 3, status: 'active' });
    expect((await findOrder(d(), store, 29))?.contactId).toBe(before!.id);
    // The old address was not suppressed: it may come back as anyone's, reachable.
    expect((await findOrCreateContactByEmail(d(), store, OLD, Date.now())).contact.status).toBe('active');
  });

  it('an old address that was suppressed stays suppressed; the unsubscribe follows the person', async () => {
    const store = 'lc-email-suppressed';
    await seedMoreStore(store);
    await deliverMore(store, 'customer.updated.account-birthday');
    const contact = await findContactByEmail(d(), store, OLD);
    await env.DB.prepare("UPDATE contacts SET status = 'unsubscribed' WHERE id = ?").bind(contact!.id).run();

    await deliverMore(store, 'customer.updated.email-change');
    expect(await findContactByEmail(d(), store, NEW)).toMatchObject({ id: contact!.id, status: 'unsubscribed' });
    const comeback = await findOrCreateContactByEmail(d(), store, OLD, Date.now());
    expect(comeback).toMatchObject({ created: true, contact: { status: 'unsubscribed' } });
  });

  it('merges with the contact that already holds the new address: the older id stays, the other stops its journeys', async () => {
    const store = 'lc-email-merge';
    await storeWithCartFlow(store);
    await deliverMore(store, 'customer.updated.account-birthday');
    await deliverMore(store, 'order.created.classic-cod');
    const camille = (await findContactByEmail(d(), store, OLD))!;
    const other = await shopperWithCart(store, NEW, 'v_nouvelle_01', Date.now() + 1000);
    const otherConsents = await listConsents(d(), store, other.contact.id);
    expect(otherConsents.length).toBeGreaterThan(0);

    expect(await deliverMore(store, 'customer.updated.email-change')).toMatchObject({ status: 'processed' });
    expect(await findContact(d(), store, other.contact.id)).toBeUndefined();
    expect(await findContactByEmail(d(), store, NEW)).toMatchObject({ id: camille.id, wooCustomerId: 3 });
    const status = await other.agent.journeyStatus();
    expect(status.running).toEqual([]);
    expect(status.pendingTimers).toEqual([]);

    expect((await findOrder(d(), store, 29))?.contactId).toBe(camille.id);
    expect((await findVisitor(d(), store, 'v_nouvelle_01'))?.contactId).toBe(camille.id);
    const moved = await listConsents(d(), store, camille.id);
    expect(moved.map((c) => c.id)).toEqual(expect.arrayContaining(otherConsents.map((c) => c.id)));
    expect(await listContactEnrollments(d(), store, camille.id)).toMatchObject([{ flowId: 'abandoned-cart', status: 'exited', exitReason: 'merged' }]);
    const events = await env.DB.prepare('SELECT DISTINCT contact_id AS c FROM events WHERE store_id = ? AND contact_id IS NOT NULL').bind(store).all<{ c: string }>();
    expect(events.results).toEqual([{ c: camille.id }]);
    const merges = await env.DB.prepare('SELECT contact_id, merged_id FROM contact_merges WHERE store_id = ?').bind(store).all();
    expect(merges.results).toEqual([{ contact_id: camille.id, merged_id: other.contact.id }]);

    // An email sent before the merge carries the merged-away id: its one-click unsubscribe still reaches the person.
    const key = await importTokenKey(await linkSigningKey(d(), store, Date.now()));
    const url = await unsubscribeUrl({ baseUrl: 'https://ns.test', key }, { storeId: store, contactId: other.contact.id, sendId: null });
    const res = await SELF.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await findContact(d(), store, camille.id)).toMatchObject({ status: 'unsubscribed' });
  });
});
