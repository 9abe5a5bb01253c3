import { describe, expect, it } from 'vitest';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { vipLoyalty } from './vip';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 6, 1, 10, 0);
const live = { ...vipLoyalty, enabled: true };

function spent(totalSpent: number, ordersCount: number) {
  return sampleContact({ stats: { totalSpent, ordersCount } });
}

describe('vip-loyalty preset', () => {
  it('tags a VIP and sends the perks once, when lifetime spend crosses the threshold', () => {
    const s = new JourneySimulator([live], spent(450, 3), T0);
    expect(brief(s.emit({ type: 'order.paid' }))).toEqual([]);
    s.contact = spent(620, 4);
    const crossed = effects(s.emit({ type: 'order.paid' }, T0 + DAY));
    expect(brief(crossed)).toEqual(['set_tag +vip', 'send_email vip.perks']);
    expect(crossed[1]).toMatchObject({ params: { 'vip.perks': ['Free shipping', 'Early access to new products'] } });
    s.contact = spent(700, 4);
    expect(brief(s.emit({ type: 'order.paid' }, T0 + 2 * DAY))).toEqual([]);
  });

  it('thanks the contact at the N-th order with a unique coupon the email shows, once', () => {
    const s = new JourneySimulator([live], spent(100, 5), T0);
    const fifth = effects(s.emit({ type: 'order.paid' }));
    expect(brief(fifth)).toEqual(['issue_coupon 10%', 'send_email loyalty.milestone']);
    const [gift, email] = fifth;
    expect(email).toMatchObject({ params: { 'milestone.orders': 5 }, context: { coupons: [gift?.idempotencyKey] } });
    s.contact = spent(120, 6);
    expect(brief(s.emit({ type: 'order.paid' }, T0 + DAY))).toEqual([]);
  });

  it('sends a birthday coupon at 09:00 on the contact’s clock, once a year', () => {
    const midnight = Date.UTC(2026, 6, 1, 22, 5); // 00:05 on 2 July in Paris
    const s = new JourneySimulator([live], spent(0, 0), midnight);
    const birthday = { type: 'date.reached' as const, properties: { field: 'birthday' } };
    expect(brief(s.emit(birthday))).toEqual([]);
    const nine = Date.UTC(2026, 6, 2, 7, 0);
    expect(s.timers()[0]?.dueAt).toBe(nine);
    expect(brief(s.advanceTo(nine))).toEqual(['issue_coupon 15%', 'send_email birthday.gift']);
    expect(brief(s.emit(birthday, nine + HOUR))).toEqual([]);
    s.emit(birthday, midnight + 365 * DAY);
    expect(brief(s.advanceTo(nine + 365 * DAY))).toEqual(['issue_coupon 15%', 'send_email birthday.gift']);
  });

  it('ignores other date fields', () => {
    const s = new JourneySimulator([live], spent(0, 0), T0);
    s.emit({ type: 'date.reached', properties: { field: 'signup_anniversary' } });
    expect(s.timers()).toEqual([]);
  });
});
