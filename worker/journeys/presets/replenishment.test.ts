import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../events';
import { applyFlowPatch } from '../flow-patch';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { replenishment } from './replenishment';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 3, 1, 10, 0);
const live = { ...replenishment, enabled: true };

const order: OrderSnapshot = {
  id: 501,
  total: 80,
  items: [
    { productId: 11, quantity: 2, lifespanDays: 30 },
    { productId: 12, quantity: 1 },
    { productId: 13, variationId: 131, quantity: 1, lifespanDays: 10 },
  ],
  productIds: [11, 12, 13],
  categoryIds: [],
};

describe('replenishment preset', () => {
  it('reminds each product with a lifespan at lifespan minus lead time, with a one-click re-order link', () => {
    const s = new JourneySimulator([live], sampleContact(), T0);
    s.emit({ type: 'order.paid', order });
    expect(s.timers().map((t) => t.dueAt)).toEqual([T0 + 5 * DAY, T0 + 25 * DAY]);
    const early = effects(s.advanceTo(T0 + 5 * DAY));
    expect(brief(early)).toEqual(['send_email replenishment.reminder']);
    expect(early[0]).toMatchObject({ context: { item: { productId: 13 }, reorderPath: '/?add-to-cart=131&quantity=1' } });
    const late = effects(s.advanceTo(T0 + 25 * DAY));
    expect(late[0]).toMatchObject({ context: { item: { productId: 11 }, reorderPath: '/?add-to-cart=11&quantity=2' } });
    expect(s.timers()).toEqual([]);
  });

  it('drops the pending reminder when the contact re-orders the product first', () => {
    const s = new JourneySimulator([live], sampleContact(), T0);
    s.emit({ type: 'order.paid', order });
    s.advanceTo(T0 + 5 * DAY);
    const again: OrderSnapshot = { ...order, id: 502, items: [{ productId: 11, quantity: 1, lifespanDays: 30 }], productIds: [11] };
    s.emit({ type: 'order.paid', order: again }, T0 + 20 * DAY);
    expect(brief(s.advanceTo(T0 + 45 * DAY - 1))).toEqual([]);
    const reminder = effects(s.advanceTo(T0 + 45 * DAY));
    expect(reminder).toHaveLength(1);
    expect(reminder[0]).toMatchObject({ context: { reorderPath: '/?add-to-cart=11&quantity=1' } });
  });

  it('uses SMS when the admin picks it and the contact consented, email otherwise', () => {
    const patched = applyFlowPatch(live, { settings: { channel: 'sms', leadTime: '2d' } });
    if (!patched.ok) throw new Error(patched.problems.join());
    const texted = new JourneySimulator([patched.flow], sampleContact(), T0);
    texted.emit({ type: 'order.paid', order });
    expect(brief(texted.advanceTo(T0 + 8 * DAY))).toEqual(['send_sms replenishment.sms']);
    const emailed = new JourneySimulator([patched.flow], sampleContact({ reachable: { email: true, sms: false } }), T0);
    emailed.emit({ type: 'order.paid', order });
    expect(brief(emailed.advanceTo(T0 + 8 * DAY))).toEqual(['send_email replenishment.reminder']);
  });
});
