import { describe, expect, it } from 'vitest';
import type { SendEmailAction } from './actions';
import type { ContactFacts } from './events';
import { Flow } from './flow-schema';
import { abandonedCart } from './presets/abandoned-cart';
import { welcome } from './presets/welcome';
import { JourneySimulator } from './simulate';
import { DEFAULT_SMS_WINDOW } from './time';

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const facts: ContactFacts = {
  id: 'c1', timezone: 'Europe/Paris', reachable: { email: true, sms: true }, tags: [], properties: {},
  stats: { ordersCount: 0, totalSpent: 0 }, purchasedProductIds: [], smsWindow: DEFAULT_SMS_WINDOW,
};
const emails = (actions: { type: string }[]) => actions.filter((a): a is SendEmailAction => a.type === 'send_email');

describe('send guard on message actions', () => {
  it('carries the step priority, cap policy, transactional flag, entry time and trigger', () => {
    const sim = new JourneySimulator([{ ...abandonedCart, enabled: true }], facts, T0);
    sim.emit({ type: 'cart_updated', cart: { value: 40, itemCount: 1, lines: [{ productId: 10, quantity: 1, price: 40 }] } });
    const [reminder] = emails(sim.advanceTo(T0 + 31 * 60_000));
    expect(reminder?.guard).toEqual({ priority: 'normal', onCap: 'defer', transactional: true, enteredAt: T0, trigger: 'cart_updated', topics: [] });
  });

  it('defaults to a promotional, normal-priority, deferred-when-capped step', () => {
    const sim = new JourneySimulator([{ ...welcome, enabled: true }], facts, T0);
    const [first] = emails(sim.emit({ type: 'customer.created' }));
    expect(first?.guard).toEqual({ priority: 'normal', onCap: 'defer', transactional: false, enteredAt: T0, trigger: 'customer.created', topics: ['news'] });
  });

  it('validates the guard fields of a send node', () => {
    const nodes = (extra: Record<string, unknown>) => ({
      ...welcome,
      nodes: welcome.nodes.map((n) => (n.type === 'send_email' ? { ...n, ...extra } : n)),
    });
    expect(Flow.safeParse(nodes({ priority: 'low', onCap: 'skip', transactional: false })).success).toBe(true);
    expect(Flow.safeParse(nodes({ priority: 'urgent' })).success).toBe(false);
    expect(Flow.safeParse(nodes({ onCap: 'drop' })).success).toBe(false);
  });
});
