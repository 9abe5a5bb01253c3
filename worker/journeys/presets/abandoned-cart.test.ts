import { describe, expect, it } from 'vitest';
import type { CartSnapshot } from '../events';
import { applyFlowPatch } from '../flow-patch';
import type { Flow } from '../flow-schema';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { abandonedCart } from './abandoned-cart';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 10:00 UTC = 12:00 in Paris: inside the SMS window. */
const T0 = Date.UTC(2026, 5, 10, 10, 0);
const live = { ...abandonedCart, enabled: true };

function cart(value: number, itemCount = 1): CartSnapshot {
  return { value, itemCount, currency: 'EUR', lines: [{ productId: 42, quantity: itemCount, price: value }], restoreUrl: '/cart?r=abc' };
}

function sim(flow: Flow = live, sms = true, start = T0) {
  return new JourneySimulator([flow], sampleContact({ reachable: { email: true, sms } }), start);
}

function patched(settings: Record<string, string | number | boolean>): Flow {
  const result = applyFlowPatch(live, { settings });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.flow;
}

describe('abandoned-cart preset', () => {
  it('ships disabled and enrolls nobody until enabled', () => {
    expect(abandonedCart.enabled).toBe(false);
    const s = sim(abandonedCart);
    s.emit({ type: 'cart_updated', cart: cart(50) });
    expect(s.timers()).toEqual([]);
  });

  it('emails after 30 idle minutes, texts when unopened for 1 h, stops dead on order.paid', () => {
    const s = sim();
    expect(brief(s.emit({ type: 'cart_updated', cart: cart(50) }))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 30 * MIN - 1))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 30 * MIN))).toEqual(['send_email cart.reminder.1', 'show_prompt cart.prompt']);
    expect(brief(s.advanceTo(T0 + 90 * MIN - 1))).toEqual([]);
    const sms = s.advanceTo(T0 + 90 * MIN);
    expect(brief(sms)).toEqual(['send_sms cart.reminder.sms']);
    expect(effects(sms)[0]).toMatchObject({ idempotencyKey: 'ct_sample:abandoned-cart:1:sms', context: { cart: cart(50) } });
    const paid = s.emit({ type: 'order.paid', order: { id: 7, total: 50, items: [], productIds: [42], categoryIds: [] } }, T0 + 2 * HOUR);
    expect(brief(paid)).toEqual([]);
    expect(paid).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'event:order.paid' }));
    expect(s.timers()).toEqual([]);
    expect(brief(s.advanceTo(T0 + 72 * HOUR))).toEqual([]);
  });

  it('sends no SMS without SMS consent and adds the contact to the audience after 24 h', () => {
    const s = sim(live, false);
    s.emit({ type: 'cart_updated', cart: cart(50) });
    expect(brief(s.advanceTo(T0 + 90 * MIN))).toEqual(['send_email cart.reminder.1', 'show_prompt cart.prompt']);
    expect(s.history.map((h) => h.action)).toContainEqual(expect.objectContaining({ what: 'skipped', nodeId: 'sms', reason: 'no_sms_consent' }));
    expect(brief(s.advanceTo(T0 + 24 * HOUR - 1))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 24 * HOUR))).toEqual(['add_to_audience abandoned-cart']);
    expect(s.timers()).toEqual([]);
  });

  it('decides on engagement it can observe: a click, a visit, a product view or a cart change skips the follow-up', () => {
    const engagements = [
      { type: 'message.clicked', fromEmail: true },
      { type: 'page_view' },
      { type: 'product_view' },
      { type: 'cart_updated' },
      { type: 'checkout_started' },
    ] as const;
    for (const engagement of engagements) {
      const s = sim();
      s.emit({ type: 'cart_updated', cart: cart(50) });
      const [email] = effects(s.advanceTo(T0 + 30 * MIN));
      const message = { enrollmentId: email?.enrollmentId ?? '', nodeId: 'email_1' };
      const event = engagement.type === 'message.clicked' ? { type: engagement.type, message } : engagement.type === 'cart_updated' ? { type: engagement.type, cart: cart(60, 2) } : { type: engagement.type };
      s.emit(event, T0 + 40 * MIN);
      expect(brief(s.advanceTo(T0 + 24 * HOUR)), engagement.type).toEqual(['add_to_audience abandoned-cart']);
    }
  });

  it('an open alone is no sign of the shopper (tracked only with consent, and mail clients open by themselves): the SMS goes', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    const [email] = effects(s.advanceTo(T0 + 30 * MIN));
    s.emit({ type: 'message.opened', message: { enrollmentId: email?.enrollmentId ?? '', nodeId: 'email_1' } }, T0 + 40 * MIN);
    expect(brief(s.advanceTo(T0 + 90 * MIN))).toEqual(['send_sms cart.reminder.sms']);
  });

  it('a click in some other message is no sign about this cart: the SMS goes', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    s.advanceTo(T0 + 30 * MIN);
    s.emit({ type: 'message.clicked', message: { enrollmentId: 'ct_sample:welcome:9', nodeId: 'email_1' } }, T0 + 40 * MIN);
    expect(brief(s.advanceTo(T0 + 90 * MIN))).toEqual(['send_sms cart.reminder.sms']);
  });

  it('an unpaid order (cheque, cash on delivery) ends it like a paid one', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    const placed = s.emit({ type: 'order.placed', properties: { status: 'on-hold' } }, T0 + 10 * MIN);
    expect(placed).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'event:order.placed' }));
    expect(brief(s.advanceTo(T0 + 72 * HOUR))).toEqual([]);
  });

  it('ignores an open of some other message', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    s.advanceTo(T0 + 30 * MIN);
    s.emit({ type: 'message.opened', message: { enrollmentId: 'ct_sample:welcome:9', nodeId: 'email_1' } }, T0 + 40 * MIN);
    expect(brief(s.advanceTo(T0 + 90 * MIN))).toEqual(['send_sms cart.reminder.sms']);
  });

  it('waits for the cart to go idle: each update restarts the 30 minutes', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    s.emit({ type: 'cart_updated', cart: cart(80, 2) }, T0 + 20 * MIN);
    expect(brief(s.advanceTo(T0 + 49 * MIN))).toEqual([]);
    const sent = effects(s.advanceTo(T0 + 50 * MIN));
    expect(sent[0]).toMatchObject({ type: 'send_email', context: { cart: cart(80, 2) } });
  });

  it('cancels a reminder that is due in the same call as the purchase', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    expect(s.timers()).toHaveLength(1);
    const paid = s.emit({ type: 'order.paid' }, T0 + 31 * MIN, { timersFirst: false });
    expect(brief(paid)).toEqual([]);
    expect(s.timers()).toEqual([]);
    expect(brief(s.wakeLate(T0 + 31 * MIN))).toEqual([]);
    expect(brief(s.history.map((h) => h.action))).toEqual([]);
  });

  it('issues a coupon before the email for carts above the threshold', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(150) });
    const actions = effects(s.advanceTo(T0 + 30 * MIN));
    expect(brief(actions)).toEqual(['issue_coupon 10%', 'send_email cart.reminder.1', 'show_prompt cart.prompt']);
    const couponKey = 'ct_sample:abandoned-cart:1:coupon';
    expect(actions[0]).toMatchObject({ idempotencyKey: couponKey, expiresAt: T0 + 30 * MIN + 7 * 24 * HOUR });
    expect(actions[1]).toMatchObject({ context: { coupons: [couponKey] } });
  });

  it('ends when the cart is emptied', () => {
    const s = sim();
    s.emit({ type: 'cart_updated', cart: cart(50) });
    s.emit({ type: 'cart_updated', cart: cart(0, 0) }, T0 + 10 * MIN);
    expect(s.timers()).toEqual([]);
    expect(brief(s.advanceTo(T0 + 48 * HOUR))).toEqual([]);
  });

  it('holds a night-time SMS until 08:00 in the contact’s zone', () => {
    const evening = Date.UTC(2026, 5, 10, 18, 0); // 20:00 in Paris
    const s = sim(live, true, evening);
    s.emit({ type: 'cart_updated', cart: cart(50) });
    expect(brief(s.advanceTo(evening + 90 * MIN))).toEqual(['send_email cart.reminder.1', 'show_prompt cart.prompt']);
    const morning = Date.UTC(2026, 5, 11, 6, 0); // 08:00 in Paris
    expect(s.timers()[0]?.dueAt).toBe(morning);
    expect(brief(s.advanceTo(morning - 1))).toEqual([]);
    expect(brief(s.advanceTo(morning))).toEqual(['send_sms cart.reminder.sms']);
  });

  it('takes every wait, template and channel from settings', () => {
    const s = sim(patched({ idleDelay: '5s', firstTemplate: 'cart.custom', followUpChannel: 'email', openWindow: '10m' }));
    s.emit({ type: 'cart_updated', cart: cart(50) });
    expect(brief(s.advanceTo(T0 + 5_000))).toEqual(['send_email cart.custom', 'show_prompt cart.prompt']);
    expect(brief(s.advanceTo(T0 + 5_000 + 10 * MIN))).toEqual(['send_email cart.reminder.2']);
  });

  it('lets the admin turn the on-site prompt, coupon and audience off', () => {
    const s = sim(patched({ promptEnabled: false, incentiveEnabled: false, audienceEnabled: false, followUpChannel: 'none' }));
    s.emit({ type: 'cart_updated', cart: cart(500) });
    expect(brief(s.advanceTo(T0 + 48 * HOUR))).toEqual(['send_email cart.reminder.1']);
  });
});
