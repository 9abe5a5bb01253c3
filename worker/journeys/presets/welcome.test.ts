import { describe, expect, it } from 'vitest';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { welcome } from './welcome';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const live = { ...welcome, enabled: true };

describe('welcome preset', () => {
  it('asks preferences, records the clicked one, then follows up and offers a first-order coupon', () => {
    const s = new JourneySimulator([live], sampleContact(), T0);
    const first = effects(s.emit({ type: 'identified' }));
    expect(brief(first)).toEqual(['send_email welcome.1']);
    expect(first[0]).toMatchObject({
      choices: [
        { key: 'new', label: 'New arrivals' },
        { key: 'deals', label: 'Good deals' },
        { key: 'gifts', label: 'Gift ideas' },
      ],
    });
    const click = { enrollmentId: first[0]?.enrollmentId ?? '', nodeId: 'email_1', linkKey: 'deals', url: 'https://shop.test/?c=deals' };
    expect(brief(s.emit({ type: 'message.clicked', message: click }, T0 + HOUR))).toEqual(['set_property interest=deals']);
    expect(brief(s.advanceTo(T0 + 2 * DAY - 1))).toEqual([]);
    expect(brief(s.advanceTo(T0 + 2 * DAY))).toEqual(['send_email welcome.2']);
    expect(brief(s.advanceTo(T0 + 5 * DAY))).toEqual(['issue_coupon 10%', 'send_email welcome.3']);
    expect(s.timers()).toEqual([]);
  });

  it('sends email 2 on time without a click and no coupon once the contact has ordered', () => {
    const s = new JourneySimulator([live], sampleContact(), T0);
    s.emit({ type: 'customer.created' });
    expect(brief(s.advanceTo(T0 + 2 * DAY))).toEqual(['send_email welcome.2']);
    s.contact = sampleContact({ stats: { ordersCount: 1, totalSpent: 40 } });
    expect(brief(s.advanceTo(T0 + 10 * DAY))).toEqual([]);
    expect(s.history.map((h) => h.action)).toContainEqual(expect.objectContaining({ what: 'completed' }));
  });

  it('welcomes a contact once, whichever trigger comes second', () => {
    const s = new JourneySimulator([live], sampleContact(), T0);
    s.emit({ type: 'identified' });
    expect(brief(s.emit({ type: 'customer.created' }, T0 + HOUR))).toEqual([]);
    s.advanceTo(T0 + 30 * DAY);
    expect(brief(s.emit({ type: 'identified' }))).toEqual([]);
  });

  it('leaves the coupon out when the admin turns the incentive off', () => {
    const flow = { ...live, settings: { ...live.settings, incentiveEnabled: { kind: 'boolean' as const, value: false, label: 'x' } } };
    const s = new JourneySimulator([flow], sampleContact(), T0);
    s.emit({ type: 'identified' });
    expect(brief(s.advanceTo(T0 + 10 * DAY))).toEqual(['send_email welcome.2']);
  });
});
