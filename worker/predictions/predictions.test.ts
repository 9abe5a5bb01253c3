import { beforeAll, describe, expect, it } from 'vitest';
import { findContactScore } from '../db/queries/contact-scores';
import { findStorePredictions, learnedIntervals, writePredictions } from '../db/queries/predictions';
import { segmentQuery, type Condition } from '../db/queries/segment-sql';
import { contactScores } from '../segments/scores/contact-view';
import { SegmentRules } from '../segments/dynamic/rules';
import { DAY, segmentWorld, type SegmentWorld } from '../segments/dynamic/test/world';
import { toJourneyEvent } from '../contacts/runtime/journey-events';
import { findStore } from '../db/queries/stores';
import { replenishment } from '../journeys/presets/replenishment';
import { JourneySimulator, sampleContact } from '../journeys/simulate';
import type { OrderSnapshot } from '../journeys/events';
import { predictStore } from './run';

const NOW = Date.UTC(2026, 10, 15, 12);
const dayOf = (t: number) => Math.floor(t / DAY) * DAY;
let w: SegmentWorld;
const c: Record<string, string> = {};

async function matching(condition: Condition): Promise<string[]> {
  const rules = SegmentRules.parse({ version: 1, match: { all: [condition] } });
  const rows = await w.d.all<{ id: string }>(segmentQuery(w.storeId, rules, { now: NOW, halfLifeDays: 30 }));
  const names = new Map(Object.entries(c).map(([n, id]) => [id, n]));
  return rows.map((r) => names.get(r.id) ?? r.id).sort();
}

beforeAll(async () => {
  w = await segmentWorld('predict-store');
  await w.product(7, [1]);
  // Eight coffee buyers re-buy product 7 every 30 days: the product's learned interval is 30 days (support 8).
  for (let i = 0; i < 8; i++) {
    const id = await w.contact(`coffee${i}`);
    for (const d of [90, 60]) await w.order(id, NOW - d * DAY, 20, [7]);
  }
  c.regular = await w.contact('regular'); // every 10 days, last 5 days ago: due in about 5 days
  for (const d of [35, 25, 15, 5]) await w.order(c.regular, NOW - d * DAY, 10);
  c.late = await w.contact('late'); // every 10 days, last 70 days ago: long overdue
  for (const d of [100, 90, 80, 70]) await w.order(c.late, NOW - d * DAY, 10);
  c.newbie = await w.contact('newbie'); // one coffee order 3 days ago: the product interval decides
  await w.order(c.newbie, NOW - 3 * DAY, 20, [7]);
  c.unpaid = await w.contact('unpaid');
  await w.order(c.unpaid, NOW - 3 * DAY, 20, [7], { paid: false });
  await w.event(c.regular, 'message.opened', Date.UTC(2026, 10, 10, 6, 30), {}, 'server');
  expect(await predictStore(w.d, w.storeId, NOW)).toBe(11);
}, 60_000);

describe('nightly predictions on D1 rows', () => {
  it('learns product 7 re-buys every 30 days from eight customers', async () => {
    expect(await learnedIntervals(w.d, w.storeId, [7, 8])).toEqual(new Map([[7, 30]]));
  });

  it('predicts a single-order buyer from the interval of what they bought', async () => {
    const s = await findContactScore(w.d, w.storeId, c.newbie!);
    expect(s?.nextOrderAt).toBe(dayOf(NOW - 3 * DAY) + 30 * DAY);
    expect(s?.predictionMethod).toBe('median_gap');
  });

  it('shrinks a regular buyer’s own 10-day rhythm toward the store gap, and skips unpaid orders', async () => {
    const store = await findStorePredictions(w.d, w.storeId);
    // gaps: eight 30s, three 10s for regular, three for late: median 30 → (3·10 + 2·30) / 5 = 18 days
    expect(store?.typicalGapDays).toBe(30);
    const s = await findContactScore(w.d, w.storeId, c.regular!);
    expect(s?.nextOrderAt).toBe(dayOf(NOW - 5 * DAY) + 18 * DAY);
    expect(await findContactScore(w.d, w.storeId, c.unpaid!)).toBeUndefined();
    // Fewer than 500 repeat buyers: no BG/NBD, and the API says so.
    expect(store?.bgnbd).toBeNull();
    const api = await contactScores(w.d, w.storeId, c.regular!, NOW);
    expect(api.prediction).toEqual({ nextOrderAt: dayOf(NOW - 5 * DAY) + 18 * DAY, pAlive: null, expectedOrders90d: null, method: 'median_gap', bestSendHour: 7 });
  });

  it('segments buyers due within N days and overdue by N days', async () => {
    expect(await matching({ kind: 'predicted_next_order', when: 'due_within', days: 14 })).toEqual(['regular']);
    expect(await matching({ kind: 'predicted_next_order', when: 'overdue_by', days: 45 })).toEqual(['late']);
    expect(SegmentRules.safeParse({ version: 1, match: { all: [{ kind: 'predicted_next_order', when: 'soon', days: 3 }] } }).success).toBe(false);
  });

  it('segments churn risk on the stored probability alive, never for buyers without one', async () => {
    expect(await matching({ kind: 'churn_risk', pAliveBelow: 0.5 })).toEqual([]);
    await writePredictions(w.d, w.storeId, [
      { contactId: c.late!, nextOrderAt: NOW - 40 * DAY, pAlive: 0.2, expectedOrders90d: 0.1, method: 'bgnbd' },
      { contactId: c.regular!, nextOrderAt: NOW + 5 * DAY, pAlive: 0.9, expectedOrders90d: 3, method: 'bgnbd' },
    ], NOW);
    expect(await matching({ kind: 'churn_risk', pAliveBelow: 0.5 })).toEqual(['late']);
    expect(SegmentRules.safeParse({ version: 1, match: { all: [{ kind: 'churn_risk', pAliveBelow: 1.5 }] } }).success).toBe(false);
  });
});

describe('replenishment without a lifespan', () => {
  it('reminds at the learned interval of the product (30 days) minus the lead time', async () => {
    const store = await findStore(w.d, w.storeId);
    if (!store) throw new Error('no store');
    const line = { productId: 7, variationId: null, quantity: 1, price: 20, total: 20 };
    const paid = { id: 'ev1', storeId: w.storeId, contactId: c.newbie!, occurredAt: NOW, type: 'order.paid' as const, orderId: 900, number: null, total: 20, currency: 'EUR', couponCodes: [], lines: [line] };
    const event = await toJourneyEvent(w.d, store, paid);
    const order = (event as { order?: OrderSnapshot } | null)?.order;
    expect(order?.items[0]).toMatchObject({ productId: 7, lifespanDays: 30 });
    const s = new JourneySimulator([{ ...replenishment, enabled: true }], sampleContact(), NOW);
    s.emit({ type: 'order.paid', order });
    expect(s.timers().map((t) => t.dueAt)).toEqual([NOW + 25 * DAY]);
  });
});
