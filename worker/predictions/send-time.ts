/**
 * Send-time optimisation: each contact's 24-hour histogram of human opens and clicks (in their local time) is
 * smoothed toward the store's own distribution with an additive (Dirichlet) prior worth PRIOR_ENGAGEMENTS events:
 *     share(h) = (count(h) + P · store(h)) / (n + P)
 * so a contact with 2 opens leans on the store, one with 40 on themselves. The store's distribution is the sum of
 * all its contacts' histograms plus one event per hour (no hour is ever impossible); contacts with no history get
 * the store's best hour.
 */
export const PRIOR_ENGAGEMENTS = 8;
export type Histogram = number[];

export const emptyHistogram = (): Histogram => new Array<number>(24).fill(0);

/** Shares per hour of the store: all contacts' counts plus one per hour. */
export function storeDistribution(contactHistograms: Iterable<Histogram>): number[] {
  const total = new Array<number>(24).fill(1);
  for (const h of contactHistograms) for (let i = 0; i < 24; i++) total[i]! += h[i] ?? 0;
  const n = total.reduce((a, b) => a + b, 0);
  return total.map((c) => c / n);
}

/** The earliest hour of highest share (ties go to the earlier hour so the choice is stable). */
export function argmaxHour(shares: number[]): number {
  let best = 0;
  for (let h = 1; h < 24; h++) if ((shares[h] ?? 0) > (shares[best] ?? 0)) best = h;
  return best;
}

export function smoothedShares(counts: Histogram, store: number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c, h) => (c + PRIOR_ENGAGEMENTS * (store[h] ?? 0)) / (n + PRIOR_ENGAGEMENTS));
}

export const bestSendHour = (counts: Histogram, store: number[]): number => argmaxHour(smoothedShares(counts, store));

/**
 * The learned send hour of a contact at send time: their opens and clicks (local hours in `hourOf`) smoothed toward
 * the store's learned shares; null when it falls outside waking hours (the waking-hours guard decides then).
 */
export function learnedSendHour(times: number[], hourOf: (t: number) => number, store: number[], waking: { wakeHour: number; sleepHour: number }): number | null {
  const counts = emptyHistogram();
  for (const t of times) counts[hourOf(t)]! += 1;
  const hour = bestSendHour(counts, store);
  return hour >= waking.wakeHour && hour < waking.sleepHour ? hour : null;
}
