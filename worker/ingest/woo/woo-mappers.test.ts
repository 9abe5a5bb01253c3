import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findOrder } from '../../db/queries/orders';
import { findProduct } from '../../db/queries/products';
import { findContactByWooCustomerId } from '../../db/queries/contacts';
import { findVisitor } from '../../db/queries/visitors';
import { signIdentityToken } from '../../lib/identity-token';
import type { CollectMessage } from '../messages';
import { runQueue, SECRET, seedStore, wireText, wooMessage } from '../../test/woo-fixtures';
import { INGEST_QUEUE } from '../consumer';
import { lifespanDays } from './woo-catalog';
import { normalizePhone } from './woo-customers';
import { orderEvents } from './woo-orders';
import { WooOrder } from './woo-schemas';
import { decodeWooDelivery } from './woo-topics';

const order = (changes: Record<string, unknown>) =>
  WooOrder.parse({ ...JSON.parse(wireText('wire/order.updated.processing.body')), ...changes });

/** As the route does: only the message; the consumer logs the delivery with the message's arrival time. */
async function consume(storeId: string, deliveryId: string, topic: string, payload: unknown) {
  const result = await runQueue(INGEST_QUEUE, [wooMessage(storeId, deliveryId, topic, { inline: JSON.stringify(payload) })]);
  expect(result.explicitAcks).toEqual(['m0']);
}

describe('order events', () => {
  it('name each partial refund by its id, and a refund without a record by the order', () => {
    const partial = orderEvents('s', 'c', order({ refunds: [{ id: 30, reason: '', total: '-10.00' }] }));
    expect(partial.filter((e) => e.type === 'order.refunded')).toEqual([
      expect.objectContaining({ id: 'woo:order:17:refund:30', amount: 10, full: false, refundId: 30 }),
    ]);
    const bare = orderEvents('s', 'c', order({ status: 'refunded', refunds: [] }));
    expect(bare.filter((e) => e.type === 'order.refunded')).toEqual([
      expect.objectContaining({ id: 'woo:order:17:refunded', amount: 86, full: true, refundId: null }),
    ]);
  });

  it('say nothing for a checkout draft, and carry the lines a purchase needs', () => {
    expect(orderEvents('s', 'c', order({ status: 'checkout-draft' }))).toEqual([]);
    const paid = orderEvents('s', 'c', order({})).find((e) => e.type === 'order.paid');
    expect(paid).toMatchObject({
      couponCodes: ['summer10'],
      lines: [
        { productId: 10, variationId: null, quantity: 2, price: 16.2, total: 32.4 },
        { productId: 13, variationId: 14, quantity: 1, price: 40.5, total: 40.5 },
        { productId: 12, variationId: null, quantity: 1, price: 8.1, total: 8.1 },
      ],
    });
  });
});

describe('payload reading', () => {
  it('tolerates numbers where WooCommerce usually sends strings, and rejects what is not an amount', () => {
    expect(order({ total: 12.5 }).total).toBe(12.5);
    expect(order({ discount_total: '' }).discount_total).toBeNull();
    expect(() => order({ total: 'twelve' })).toThrow('not an amount');
  });

  it('routes topics by resource and event', () => {
    expect(decodeWooDelivery('order.restored', JSON.parse(wireText('wire/order.created.body')))).toMatchObject({ kind: 'order', restored: true });
    expect(decodeWooDelivery('customer.deleted', { id: 2 })).toEqual({ kind: 'deleted', resource: 'customer', payload: { id: 2 } });
    expect(decodeWooDelivery('subscription.created', { id: 2 })).toEqual({ kind: 'ignored', topic: 'subscription.created' });
    expect(decodeWooDelivery('order.deleted', {})).toEqual({ kind: 'skipped', topic: 'order.deleted', reason: 'body without an id' });
    expect(() => decodeWooDelivery('order.deleted', { id: 'x' })).toThrow('order.deleted payload');
  });

  it('normalizes phones to E.164 only when the country is known', () => {
    expect(normalizePhone('+1 212 555 0142')).toBe('+12125550142');
    expect(normalizePhone('+33 6.12-34 (56) 78')).toBe('+33612345678');
    expect(normalizePhone(' 06 12 34 56 78 ')).toBe('06 12 34 56 78');
    expect(normalizePhone('')).toBeNull();
  });

  it('reads the product lifespan from meta given as text or number, ignoring anything else', () => {
    const meta = (value: unknown) => [{ key: 'nightshift_lifespan_days', value }];
    expect(lifespanDays(meta('30'))).toBe(30);
    expect(lifespanDays(meta(45))).toBe(45);
    expect(lifespanDays(meta('0'))).toBeNull();
    expect(lifespanDays(meta('30.5'))).toBeNull();
    expect(lifespanDays(meta(['30']))).toBeNull();
    expect(lifespanDays([])).toBeNull();
  });
});

describe('consumer writes', () => {
  it('stores the lifespan a product carries in its meta', async () => {
    const store = 'm-lifespan';
    await seedStore(store);
    const product = JSON.parse(wireText('wire/product.created.body')) as { meta_data: unknown[] };
    product.meta_data.push({ id: 200, key: 'nightshift_lifespan_days', value: '30' });
    await consume(store, 'life-1', 'product.created', product);
    expect(await findProduct(db(env.DB), store, 10)).toMatchObject({ lifespanDays: 30, price: 18 });
  });

  it('keeps a deletion that arrives before the order, and clears it when the order is restored', async () => {
    const store = 'm-deleted';
    await seedStore(store);
    const d = db(env.DB);
    await consume(store, 'del-1', 'order.deleted', { id: 19 });
    await consume(store, 'new-1', 'order.created', JSON.parse(wireText('wire/order.created.guest.body')));
    const deleted = await findOrder(d, store, 19);
    expect(deleted).toMatchObject({ status: 'on-hold', total: 45, deletedAt: 1_800_000_000_000 });
    await consume(store, 'back-1', 'order.restored', JSON.parse(wireText('wire/order.updated.cancelled.body')));
    expect(await findOrder(d, store, 19)).toMatchObject({ status: 'cancelled', deletedAt: null });
  });

  it('finishes the storefront links an identity token asked for when the customer arrives', async () => {
    const store = 'm-pending';
    await seedStore(store);
    const receivedAt = Date.now();
    const token = await signIdentityToken(SECRET, 2, Math.floor(receivedAt / 1000) + 600);
    const identify = { id: 'evt_token_01', type: 'identify', ts: receivedAt, identityToken: token };
    const beacons: CollectMessage = {
      kind: 'collect',
      storeId: store,
      trusted: false,
      visitorId: 'v_pending_01',
      receivedAt,
      ipHash: null,
      userAgent: null,
      events: [identify],
    };
    expect((await runQueue(INGEST_QUEUE, [beacons])).explicitAcks).toEqual(['m0']);
    expect((await findVisitor(db(env.DB), store, 'v_pending_01'))?.contactId).toBeNull();

    await consume(store, 'cust-1', 'customer.created', JSON.parse(wireText('wire/customer.created.body')));
    const contact = await findContactByWooCustomerId(db(env.DB), store, 2);
    expect(contact).toMatchObject({ email: 'jane.doe@example.com', firstName: 'Jane', phone: '+12125550142' });
    expect((await findVisitor(db(env.DB), store, 'v_pending_01'))?.contactId).toBe(contact?.id);
  });
});
