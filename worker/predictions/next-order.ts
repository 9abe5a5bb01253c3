/**
 * Next-order predictions. Every buyer gets an expected next order date from their own gaps between orders, shrunk
 * toward the typical gap of what they buy; stores with enough repeat buyers also get a BG/NBD fit (segments/bgnbd.ts)
 * giving each buyer a probability of being alive and the orders to expect in the next 90 days.
 *
 * Shrinkage (empirical Bayes, normal–normal with known variance ratio): a customer's median gap m from n gaps is a
 * noisy estimate of their own rhythm, its variance falling like 1/n. With the product prior g (the median learned
 * interval of the products they bought, else the store's median gap between two orders of one customer) worth
 * K = PRIOR_GAPS observed gaps, the estimate is
 *     gap = (n · m + K · g) / (n + K)
 * so one gap counts for a third, four gaps for two thirds, and the prior alone decides for a single order.
 */
import { expectedPurchases, probabilityAlive, type BgNbdParams, type BuyerHistory } from '../segments/bgnbd';
import { fitStoreBgNbd } from './store-fit';
import { median } from '../lib/median';

export const DAY = 86_400_000;
/** How many of the customer's own gaps the prior is worth. */
export const PRIOR_GAPS = 2;
/** Customers re-buying a product before its learned interval counts (fewer: the median of 2 or 3 gaps is noise). */
export const MIN_PRODUCT_SUPPORT = 5;
/**
 * Buyers with at least one repeat purchase a store needs before BG/NBD is fitted (Klaviyo's own gate is 500 buyers);
 * below it four parameters would follow a handful of customers, and the gap estimate is all we say.
 */
export const MIN_REPEAT_BUYERS_FOR_BGNBD = 500;
/** The gap assumed when the store has never seen a customer order twice (a quarter: a conservative guess). */
export const DEFAULT_GAP_DAYS = 90;
export const HORIZON_DAYS = 90;

export type PredictionMethod = 'median_gap' | 'bgnbd';
/** A buyer's distinct purchase days (days since the epoch, sorted) and the products they bought. */
export type Buyer = { contactId: string; days: number[]; productIds: number[] };
export type Prediction = {
  contactId: string;
  nextOrderAt: number;
  pAlive: number | null;
  expectedOrders90d: number | null;
  method: PredictionMethod;
};
export type BgNbdFit = BgNbdParams & { logLikelihood: number };

/** Distinct purchase days, sorted (two orders on one day are one purchase, as in FHL 2005). */
export function purchaseDays(times: number[]): number[] {
  return [...new Set(times.map((t) => Math.floor(t / DAY)))].sort((a, b) => a - b);
}

/** Gaps in days between consecutive purchase days. */
export function gapsOf(days: number[]): number[] {
  return days.slice(1).map((d, i) => d - (days[i] as number));
}

export function shrunkGap(gaps: number[], prior: number): number {
  const m = median(gaps);
  if (m === null) return prior;
  return (gaps.length * m + PRIOR_GAPS * prior) / (gaps.length + PRIOR_GAPS);
}

/** (x, tₓ, T) in weeks at `now` for BG/NBD: repeat purchase days, time of the last one and age since the first. */
export function historyOf(days: number[], now: number): BuyerHistory {
  const first = days[0] as number;
  const last = days[days.length - 1] as number;
  return { x: days.length - 1, tx: (last - first) / 7, T: Math.max(0, Math.floor(now / DAY) - first) / 7 };
}

/** What a store's history says beyond each buyer: per-product intervals (with support) and the store's typical gap. */
export type StoreBasis = { productGaps: Map<number, number>; typicalGap: number; fit: BgNbdFit | null; repeatBuyers: number };

export function priorGapOf(buyer: Buyer, basis: StoreBasis): number {
  const gaps = buyer.productIds.flatMap((p) => {
    const g = basis.productGaps.get(p);
    return g === undefined ? [] : [g];
  });
  return median(gaps) ?? basis.typicalGap;
}

/**
 * The store's basis from all buyers: the typical gap is the median of every repeat gap; BG/NBD is fitted when at
 * least MIN_REPEAT_BUYERS_FOR_BGNBD buyers bought twice (`previous` warm-starts the search from last night's fit).
 */
export function storeBasis(buyers: Buyer[], productGaps: Map<number, number>, now: number, previous?: BgNbdParams | null): StoreBasis {
  const days = buyers.map((b) => b.days);
  const allGaps = days.flatMap(gapsOf);
  const repeatBuyers = days.filter((d) => d.length > 1).length;
  const fit = repeatBuyers >= MIN_REPEAT_BUYERS_FOR_BGNBD ? fitStoreBgNbd(days.map((d) => historyOf(d, now)), previous) : null;
  return { productGaps, typicalGap: median(allGaps) ?? DEFAULT_GAP_DAYS, fit, repeatBuyers };
}

export function predictBuyer(buyer: Buyer, basis: StoreBasis, now: number): Prediction {
  const days = buyer.days;
  const last = (days[days.length - 1] as number) * DAY;
  const gap = shrunkGap(gapsOf(days), priorGapOf(buyer, basis));
  const nextOrderAt = Math.round(last + gap * DAY);
  if (!basis.fit) return { contactId: buyer.contactId, nextOrderAt, pAlive: null, expectedOrders90d: null, method: 'median_gap' };
  const h = historyOf(days, now);
  return {
    contactId: buyer.contactId,
    nextOrderAt,
    pAlive: probabilityAlive(basis.fit, h),
    expectedOrders90d: expectedPurchases(basis.fit, h, HORIZON_DAYS / 7),
    method: 'bgnbd',
  };
}

/**
 * Learned re-buy interval per product: the median gap between two purchase days of the same product by the same
 * customer, kept only with at least MIN_PRODUCT_SUPPORT such gaps. Input: (contact, product, time) rows.
 */
export function productIntervals(rows: { contactId: string; productId: number; at: number }[]): Map<number, { gap: number; support: number }> {
  const byPair = Map.groupBy(rows, (r) => `${r.productId}|${r.contactId}`);
  const gaps = new Map<number, number[]>();
  for (const pair of byPair.values()) {
    const productId = (pair[0] as { productId: number }).productId;
    const g = gapsOf(purchaseDays(pair.map((r) => r.at)));
    if (g.length) gaps.set(productId, [...(gaps.get(productId) ?? []), ...g]);
  }
  const out = new Map<number, { gap: number; support: number }>();
  for (const [productId, g] of gaps) if (g.length >= MIN_PRODUCT_SUPPORT) out.set(productId, { gap: median(g) as number, support: g.length });
  return out;
}
