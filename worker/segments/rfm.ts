import { median } from '../lib/median';
/**
 * RFM: recency, frequency and monetary value scored 1–5 over the trailing 365 days of standing paid orders,
 * and the 11 named segments read off a grid of R against FM = round((F + M) / 2). Stores with enough buyers
 * are scored by quintiles of their own buyers; smaller stores by fixed bands, and every score says which.
 */
export const RFM_WINDOW_DAYS = 365;
/** Below this many buyers in the window, quintiles would move with every order: fixed bands instead. */
export const MIN_BUYERS_FOR_QUINTILES = 200;

export type Score = 1 | 2 | 3 | 4 | 5;
export type RfmMethod = 'quintiles' | 'bands';
export type BuyerSummary = { contactId: string; lastOrderAt: number; orders: number; spend: number };
export type RfmScore = { contactId: string; r: Score; f: Score; m: Score; fm: Score; segment: RfmSegment; method: RfmMethod };

export const RFM_SEGMENTS = [
  'champions', 'loyal', 'potential_loyalist', 'new_customers', 'promising', 'need_attention',
  'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const RFM_SEGMENT_NAMES: Record<RfmSegment, { en: string; fr: string }> = {
  champions: { en: 'Champions', fr: 'Champions' },
  loyal: { en: 'Loyal', fr: 'Clients fidèles' },
  potential_loyalist: { en: 'Potential Loyalist', fr: 'Fidèles en devenir' },
  new_customers: { en: 'New Customers', fr: 'Nouveaux clients' },
  promising: { en: 'Promising', fr: 'Prometteurs' },
  need_attention: { en: 'Need Attention', fr: 'À surveiller' },
  about_to_sleep: { en: 'About To Sleep', fr: 'En perte de vitesse' },
  at_risk: { en: 'At Risk', fr: 'À risque' },
  cant_lose: { en: "Can't Lose Them", fr: 'À ne pas perdre' },
  hibernating: { en: 'Hibernating', fr: 'En hibernation' },
  lost: { en: 'Lost', fr: 'Perdus' },
};

/**
 * GRID[fm − 1][r − 1]. Recent buyers of high value are Champions; valuable buyers gone quiet are the ones
 * not to lose; low value and long silence is Lost.
 */
const GRID: readonly (readonly RfmSegment[])[] = [
  ['lost', 'lost', 'about_to_sleep', 'promising', 'new_customers'],
  ['hibernating', 'hibernating', 'about_to_sleep', 'potential_loyalist', 'potential_loyalist'],
  ['at_risk', 'at_risk', 'need_attention', 'potential_loyalist', 'potential_loyalist'],
  ['cant_lose', 'at_risk', 'loyal', 'loyal', 'champions'],
  ['cant_lose', 'at_risk', 'loyal', 'champions', 'champions'],
];

export function segmentOf(r: Score, fm: Score): RfmSegment {
  return GRID[fm - 1]?.[r - 1] ?? 'lost';
}

const clampScore = (n: number): Score => Math.min(5, Math.max(1, Math.ceil(n))) as Score;

/**
 * The four cut points of the quintile scores of `values`: a value scores 1 plus the number of cuts it reaches, which
 * is ceil(5 · share of values at or below it), ties sharing a score. Cuts let one buyer be scored between full runs.
 */
function quintileCuts(values: number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return [1, 2, 3, 4].map((s) => sorted[Math.floor((s * sorted.length) / 5)] ?? Infinity);
}

const byCuts = (cuts: number[], v: number): Score => clampScore(1 + cuts.filter((c) => v >= c).length);

const DAY = 86_400_000;
const RECENCY_BANDS = [30, 60, 120, 240]; // days since the last order: ≤ 30 → 5 … > 240 → 1
const FREQUENCY_BANDS = [1, 2, 3, 5]; // orders: 1 → 1, 2 → 2, 3 → 3, 4–5 → 4, ≥ 6 → 5
const MONETARY_BANDS = [0.5, 1, 2, 4]; // spend as a multiple of the store's median spend per buyer

const bandUp = (bands: number[], v: number): Score => clampScore(1 + bands.filter((b) => v > b).length);
const bandDown = (bands: number[], v: number): Score => clampScore(5 - bands.filter((b) => v > b).length);

/**
 * What a full scoring learnt about the store's buyers: quintile cuts (recency as the date of the last order, so the
 * cuts stay valid as time passes) or, for small stores, the median spend the monetary bands are multiples of.
 */
export type RfmBasis =
  | { method: 'quintiles'; recency: number[]; frequency: number[]; monetary: number[] }
  | { method: 'bands'; typicalSpend: number };

const inWindow = (b: BuyerSummary, now: number) => b.orders > 0 && now - b.lastOrderAt <= RFM_WINDOW_DAYS * DAY;

export function rfmBasis(buyers: BuyerSummary[], now: number): RfmBasis {
  const scored = buyers.filter((b) => inWindow(b, now));
  if (scored.length < MIN_BUYERS_FOR_QUINTILES) return { method: 'bands', typicalSpend: median(scored.map((b) => b.spend)) || 1 };
  return {
    method: 'quintiles',
    recency: quintileCuts(scored.map((b) => b.lastOrderAt)),
    frequency: quintileCuts(scored.map((b) => b.orders)),
    monetary: quintileCuts(scored.map((b) => b.spend)),
  };
}

/** One buyer scored against a basis (null outside the window); the nightly run and a new order share this. */
export function scoreBuyer(b: BuyerSummary, basis: RfmBasis, now: number): RfmScore | null {
  if (!inWindow(b, now)) return null;
  const [r, f, m]: [Score, Score, Score] =
    basis.method === 'quintiles'
      ? [byCuts(basis.recency, b.lastOrderAt), byCuts(basis.frequency, b.orders), byCuts(basis.monetary, b.spend)]
      : [bandDown(RECENCY_BANDS, (now - b.lastOrderAt) / DAY), bandUp(FREQUENCY_BANDS, b.orders), bandUp(MONETARY_BANDS, b.spend / basis.typicalSpend)];
  const fm = clampScore(Math.round((f + m) / 2));
  return { contactId: b.contactId, r, f, m, fm, segment: segmentOf(r, fm), method: basis.method };
}

/** Scores every buyer with at least one standing paid order in the window ending at `now`. */
export function scoreRfm(buyers: BuyerSummary[], now: number): RfmScore[] {
  const basis = rfmBasis(buyers, now);
  return buyers.flatMap((b) => scoreBuyer(b, basis, now) ?? []);
}
