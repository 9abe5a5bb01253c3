import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../events';
import { applyFlowPatch } from '../flow-patch';
import type { Flow } from '../flow-schema';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { postPurchase } from './post-purchase';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 4, 10, 0);

/** Barbecue (category 5) → accessories → spices → cooking class. */
function configured(): Flow {
  const result = applyFlowPatch(
    { ...postPurchase, enabled: true },
    { settings: { triggerCategories: [5], step1Products: [101, 102], step2Products: [201], step3Categories: [9] } },
  );
  if (!result.ok) throw new Error(result.problems.join());
  return result.flow;
}

function bought(categoryIds: number[]): OrderSnapshot {
  return { id: 9, total: 400, items: [{ productId: 100, quantity: 1 }], productIds: [100], categoryIds };
}

describe('post-purchase preset', () => {
  it('recommends each next step after N days, leaving out what the contact already has', () => {
    const s = new JourneySimulator([configured()], sampleContact({ purchasedProductIds: [100, 101, 201] }), T0);
    s.emit({ type: 'order.paid', order: bought([5, 7]) });
    expect(brief(s.advanceTo(T0 + 7 * DAY - 1))).toEqual([]);
    const step1 = effects(s.advanceTo(T0 + 7 * DAY));
    expect(step1).toMatchObject([{ type: 'send_email', template: 'post_purchase.next', products: [102], categories: [] }]);
    expect(brief(s.advanceTo(T0 + 21 * DAY))).toEqual([]);
    expect(s.history.map((h) => h.action)).toContainEqual(expect.objectContaining({ what: 'skipped', nodeId: 'step_2', reason: 'nothing_to_recommend' }));
    const step3 = effects(s.advanceTo(T0 + 51 * DAY));
    expect(step3).toMatchObject([{ type: 'send_email', products: [], categories: [9] }]);
  });

  it('starts only for orders in the configured categories', () => {
    const s = new JourneySimulator([configured()], sampleContact(), T0);
    s.emit({ type: 'order.paid', order: bought([7]) });
    expect(s.timers()).toEqual([]);
  });

  it('starts for every paid order with its defaults and recommends best-sellers of the order’s categories', () => {
    const s = new JourneySimulator([{ ...postPurchase, enabled: true }], sampleContact({ purchasedProductIds: [100] }), T0);
    s.emit({ type: 'order.paid', order: bought([5, 7]) });
    expect(s.timers()).toHaveLength(1);
    const step1 = effects(s.advanceTo(T0 + 7 * DAY));
    expect(step1).toMatchObject([{ type: 'send_email', template: 'post_purchase.next', products: [], categories: [5, 7], fill: 'bestselling', skipIfEmpty: true }]);
    expect(step1[0]).toMatchObject({ context: { order: { productIds: [100] } } });
    const uncategorised = new JourneySimulator([{ ...postPurchase, enabled: true }], sampleContact(), T0);
    uncategorised.emit({ type: 'order.paid', order: bought([]) });
    expect(effects(uncategorised.advanceTo(T0 + 7 * DAY))).toMatchObject([{ type: 'send_email', categories: [], fill: 'bestselling' }]);
  });
});
