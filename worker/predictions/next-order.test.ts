import { describe, expect, it } from 'vitest';
import summary from '../../../shared/datasets/cdnow/cdnow_customers_summary.csv?raw';
import { fitBgNbd } from '../segments/bgnbd';
import { fitStoreBgNbd } from './store-fit';
import { DAY, DEFAULT_GAP_DAYS, historyOf, predictBuyer, productIntervals, purchaseDays, shrunkGap, storeBasis, type Buyer } from './next-order';
import { bestSendHour, emptyHistogram, storeDistribution } from './send-time';

const T0 = Date.UTC(2026, 0, 1);
const on = (day: number) => T0 + day * DAY + 9 * 3_600_000;

describe('the shrunk gap', () => {
  it('is the prior for one order, and moves toward the customer median as gaps accumulate', () => {
    expect(shrunkGap([], 60)).toBe(60);
    // one gap of 30 against a prior of 60, worth two gaps: (1·30 + 2·60) / 3 = 50
    expect(shrunkGap([30], 60)).toBe(50);
    // four gaps of median 30: (4·30 + 2·60) / 6 = 40
    expect(shrunkGap([28, 30, 30, 40], 60)).toBe(40);
  });

  it('counts two orders on the same day as one purchase', () => {
    expect(purchaseDays([on(0), on(0) + 1000, on(3)])).toHaveLength(2);
  });
});

describe('predicting a buyer', () => {
  const coffee = (id: string, days: number[]): Buyer => ({ contactId: id, days: purchaseDays(days.map(on)), productIds: [7] });
  const now = on(200);

  it('uses the learned interval of the products bought as the prior of a single-order customer', () => {
    const intervals = productIntervals([0, 1, 2, 3, 4, 5].flatMap((c) => [0, 28].map((d) => ({ contactId: `c${c}`, productId: 7, at: on(d) }))));
    expect(intervals.get(7)).toEqual({ gap: 28, support: 6 });
    const basis = storeBasis([coffee('a', [0, 28])], new Map([[7, 28]]), now);
    const p = predictBuyer(coffee('new', [100]), basis, now);
    expect((p.nextOrderAt - Math.floor(on(100) / DAY) * DAY) / DAY).toBe(28);
    expect(p).toMatchObject({ method: 'median_gap', pAlive: null, expectedOrders90d: null });
  });

  it('ignores products below the support threshold and falls back to the store gap, then to 90 days', () => {
    expect(productIntervals([0, 28].map((d) => ({ contactId: 'x', productId: 9, at: on(d) }))).size).toBe(0);
    const basis = storeBasis([coffee('a', [0, 10]), coffee('b', [0, 20]), coffee('c', [0, 30])], new Map(), now);
    expect(basis.typicalGap).toBe(20);
    expect(storeBasis([coffee('a', [0])], new Map(), now).typicalGap).toBe(DEFAULT_GAP_DAYS);
  });

  it('gives (x, tₓ, T) in weeks as FHL 2005 count them', () => {
    expect(historyOf([0, 14, 28], 35 * DAY + 5)).toEqual({ x: 2, tx: 4, T: 5 });
  });
});

describe('send-time smoothing', () => {
  const store = storeDistribution([Object.assign(emptyHistogram(), { 19: 300 })]);

  it('gives a contact with no history the store best hour', () => {
    expect(bestSendHour(emptyHistogram(), store)).toBe(19);
  });

  it('keeps the store hour for two opens at 08:00, but follows twenty', () => {
    expect(bestSendHour(Object.assign(emptyHistogram(), { 8: 2 }), store)).toBe(19);
    expect(bestSendHour(Object.assign(emptyHistogram(), { 8: 20 }), store)).toBe(8);
  });
});

describe('the per-store BG/NBD fit', () => {
  it('finds the same optimum as the reference fit on the CDNOW summary, warm-started or not', () => {
    const histories = summary.trim().split('\n').slice(1).map((line) => {
      const [, x = NaN, tx = NaN, T = NaN] = line.split(',').map(Number);
      return { x, tx, T };
    });
    const reference = fitBgNbd(histories);
    for (const fit of [fitStoreBgNbd(histories), fitStoreBgNbd(histories, { r: 2, alpha: 10, a: 3, b: 5 })]) {
      expect(fit.logLikelihood).toBeCloseTo(reference.logLikelihood, 3);
      for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(fit[k] / reference[k]).toBeCloseTo(1, 3);
    }
  });
});
