/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * purchases follow a Poisson process with gamma(r, α) heterogeneity while a customer is alive, and after
 * each purchase a customer drops out with probability p ~ beta(a, b). Fitted per store by maximum
 * likelihood on (x = repeat purchases, tₓ = time of the last one, T = time since the first), it gives the
 * probability a customer is still alive and the purchases to expect in the next period.
 */
import { nelderMead } from './optimize';

export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
export type BuyerHistory = { x: number; tx: number; T: number };

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ by Lanczos (g = 7, n = 9): accurate to ~15 digits for the positive arguments used here. */
export function lnGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  const sum = LANCZOS.reduce((s, c, i) => s + c / (x + i + 1), 0.99999999999980993);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

const lnBeta = (a: number, b: number) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);

/** One customer's log-likelihood (FHL 2005, equation 6), computed in logs to stay finite for large x. */
export function customerLogLikelihood({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BuyerHistory): number {
  const head = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnBeta(a, b + x) - lnBeta(a, b);
  const alive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return head + alive;
  const dropped = Math.log(a / (b + x - 1)) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(alive, dropped);
  return head + m + Math.log(Math.exp(alive - m) + Math.exp(dropped - m));
}

/** Buyers with the same (x, tₓ, T) share one term, so the fit costs the number of distinct histories. */
function compress(histories: BuyerHistory[]): { h: BuyerHistory; n: number }[] {
  const groups = Map.groupBy(histories, (h) => `${h.x}|${h.tx}|${h.T}`);
  return [...groups.values()].map((g) => ({ h: g[0] as BuyerHistory, n: g.length }));
}

/** Maximum-likelihood fit; parameters are searched on the log scale so they stay positive. */
export function fitBgNbd(histories: BuyerHistory[], start: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 }): BgNbdParams & { logLikelihood: number } {
  const groups = compress(histories);
  const fromLog = ([r = 0, alpha = 0, a = 0, b = 0]: number[]): BgNbdParams => ({ r: Math.exp(r), alpha: Math.exp(alpha), a: Math.exp(a), b: Math.exp(b) });
  const negLL = (v: number[]) => {
    const params = fromLog(v);
    let total = 0;
    for (const { h, n } of groups) total += n * customerLogLikelihood(params, h);
    return Number.isFinite(total) ? -total : Number.POSITIVE_INFINITY;
  };
  const best = nelderMead(negLL, [start.r, start.alpha, start.a, start.b].map(Math.log), { tolerance: 1e-10, maxIterations: 5000 });
  return { ...fromLog(best.point), logLikelihood: -best.value };
}

/** Gauss's hypergeometric ₂F₁(a, b; c; z) by its series, for 0 ≤ z < 1 as the model needs. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 0; j < 10_000; j++) {
    term *= ((a + j) * (b + j) * z) / ((c + j) * (j + 1));
    sum += term;
    if (Math.abs(term) < 1e-14 * Math.abs(sum)) break;
  }
  return sum;
}

/** P(alive | x, tₓ, T) (FHL 2005, equation 13 read for the alive state). */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BuyerHistory): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

/** Expected purchases in the next `t` time units for a customer with this history (FHL 2005, equation 10). */
export function expectedPurchases(params: BgNbdParams, history: BuyerHistory, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = history;
  const hyper = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyper);
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
  return numerator / denominator;
}
