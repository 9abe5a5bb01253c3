import { describe, expect, it } from 'vitest';
import { findContactByEmail } from '../db/queries/contacts';
import { reserveIssuedCoupon } from '../db/queries/issued-coupons';
import { widgetResultsOf } from '../db/queries/widgets';
import { creditWidgetOrders, WIDGET_ORDER_WINDOW_MS } from './results';
import { signupCouponKey } from './signup-coupon';
import { confirmFromMailbox, d, seedWidgetStore, submitWidget } from './test/signup-kit';

const paid = (storeId: string, contactId: string, occurredAt: number, total: number, couponCodes: string[] = []) => ({ type: 'order.paid', storeId, contactId, occurredAt, total, couponCodes });

describe('widget results from the consent path', () => {
  it('counts a confirmed sign-up once, only after the double opt-in, then each paid order in the window with its total', async () => {
    await seedWidgetStore('wres');
    await submitWidget('wres', 'fan@example.com');
    const contact = (await findContactByEmail(d(), 'wres', 'fan@example.com'))!;
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toBeUndefined();
    await confirmFromMailbox('wres', contact.id);
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toMatchObject({ confirmed: 1, order: 0, revenue: 0 });

    const now = Date.now();
    await creditWidgetOrders(d(), [paid('wres', contact.id, now, 42.5), { ...paid('wres', contact.id, now, 42.5), type: 'order.placed' }]);
    await creditWidgetOrders(d(), [paid('wres', contact.id, now + 1000, 10)]);
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toMatchObject({ confirmed: 1, order: 2, revenue: 52.5 });
    // Past the attribution window and without the widget's coupon: no longer the widget's.
    await creditWidgetOrders(d(), [paid('wres', contact.id, now + WIDGET_ORDER_WINDOW_MS + 60_000, 99)]);
    expect((await widgetResultsOf(d(), 'wres')).get('welcome')).toMatchObject({ order: 2, revenue: 52.5 });
  });

  it('credits an order that used the widget coupon, however late, and not one with another code', async () => {
    await seedWidgetStore('wres-code');
    await submitWidget('wres-code', 'late@example.com');
    const contact = (await findContactByEmail(d(), 'wres-code', 'late@example.com'))!;
    await confirmFromMailbox('wres-code', contact.id);
    const key = signupCouponKey('welcome', contact.id);
    await reserveIssuedCoupon(d(), { storeId: 'wres-code', idempotencyKey: key, contactId: contact.id, code: 'NS-ABCDEFGH', discountType: 'percent', amount: '10.00', expiresAt: 1, createdAt: 1 });
    const late = Date.now() + 2 * WIDGET_ORDER_WINDOW_MS;
    await creditWidgetOrders(d(), [paid('wres-code', contact.id, late, 30, ['other-code'])]);
    expect((await widgetResultsOf(d(), 'wres-code')).get('welcome')).toMatchObject({ order: 0 });
    // WooCommerce sends coupon codes lower-cased in coupon_lines (woo-orders.ts keeps them so).
    await creditWidgetOrders(d(), [paid('wres-code', contact.id, late, 30, ['ns-abcdefgh'])]);
    expect((await widgetResultsOf(d(), 'wres-code')).get('welcome')).toMatchObject({ order: 1, revenue: 30 });
  });

  it('credits nothing for another consent text or an unknown widget, and no order without a confirmed sign-up', async () => {
    await seedWidgetStore('wres-other');
    await submitWidget('wres-other', 'a@example.com', 'popup-v3');
    await submitWidget('wres-other', 'b@example.com', 'widget:ghost');
    for (const email of ['a@example.com', 'b@example.com']) await confirmFromMailbox('wres-other', (await findContactByEmail(d(), 'wres-other', email))!.id);
    const a = (await findContactByEmail(d(), 'wres-other', 'a@example.com'))!;
    await creditWidgetOrders(d(), [paid('wres-other', a.id, Date.now(), 20)]);
    expect([...(await widgetResultsOf(d(), 'wres-other'))]).toEqual([]);
  });
});
