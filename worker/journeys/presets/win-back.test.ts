import { describe, expect, it } from 'vitest';
import type { ContactFacts } from '../events';
import { brief, JourneySimulator, sampleContact } from '../simulate';
import { winBack } from './win-back';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0);
const live = { ...winBack, enabled: true };

function customer(medianOrderGapDays?: number): ContactFacts {
  return sampleContact({ stats: { ordersCount: 3, totalSpent: 300, lastOrderAt: T0, medianOrderGapDays } });
}

describe('win-back preset', () => {
  it('re-engages when the contact is 1.5 × their median gap overdue', () => {
    const s = new JourneySimulator([live], customer(20), T0);
    s.emit({ type: 'order.paid' });
    expect(brief(s.advanceTo(T0 + 30 * DAY - 1))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 30 * DAY))).toEqual(['issue_coupon 15%', 'send_email winback.1']);
  });

  it('uses the fallback for one-time buyers and the floor for very frequent ones', () => {
    const once = new JourneySimulator([live], customer(undefined), T0);
    once.emit({ type: 'order.paid' });
    // Before the 90-day hibernation window, or the guardrails would always skip it as hibernated.
    expect(once.timers()[0]?.dueAt).toBe(T0 + 60 * DAY);
    const slow = new JourneySimulator([live], customer(70), T0);
    slow.emit({ type: 'order.paid' });
    expect(slow.timers()[0]?.dueAt).toBe(T0 + 75 * DAY);
    const often = new JourneySimulator([live], customer(4), T0);
    often.emit({ type: 'order.paid' });
    expect(often.timers()[0]?.dueAt).toBe(T0 + 14 * DAY);
  });

  it('restarts the clock when they order again first', () => {
    const s = new JourneySimulator([live], customer(20), T0);
    s.emit({ type: 'order.paid' });
    s.emit({ type: 'order.placed' }, T0 + 10 * DAY);
    expect(s.timers()).toEqual([]);
    s.emit({ type: 'order.paid' }, T0 + 10 * DAY);
    expect(brief(s.advanceTo(T0 + 40 * DAY - 1))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 40 * DAY))).toEqual(['issue_coupon 15%', 'send_email winback.1']);
  });

  it('re-engages contacts who enter the "ignores promotions" segment, at most every 60 days', () => {
    const s = new JourneySimulator([live], customer(20), T0);
    const entered = { type: 'segment.entered' as const, properties: { segment: 'ignores-promotions' } };
    expect(brief(s.emit(entered))).toEqual(['issue_coupon 15%', 'send_email winback.1']);
    expect(brief(s.emit(entered, T0 + 30 * DAY))).toEqual([]);
    expect(brief(s.emit({ type: 'segment.entered', properties: { segment: 'other' } }, T0 + 70 * DAY))).toEqual([]);
    expect(brief(s.emit(entered, T0 + 70 * DAY))).toEqual(['issue_coupon 15%', 'send_email winback.1']);
  });
});
