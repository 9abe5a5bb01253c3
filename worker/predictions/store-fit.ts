/**
 * The per-store BG/NBD fit, made to scale with the store: the likelihood (FHL 2005, equation 6, as in
 * segments/bgnbd.ts) is evaluated with every term that depends only on x computed once per distinct x, and buyers
 * sharing (x, tₓ, T) counted once, so an evaluation costs two logarithms per distinct history. Parameters are
 * searched on the log scale within [e⁻¹⁰, e¹⁰]: on data with almost no drop-out, a and b would otherwise drift to
 * infinity together and the search never settle.
 */
import { lnGamma, type BuyerHistory } from '../segments/bgnbd';
import { nelderMead } from '../segments/optimize';
import type { BgNbdFit } from './next-order';

const LOG_BOUND = 10;
const START = [1, 1, 1, 1].map(Math.log);

type Column = { x: number; tx: Float64Array; T: Float64Array; n: Float64Array };

function columns(histories: BuyerHistory[]): Column[] {
  const byX = Map.groupBy(histories, (h) => h.x);
  return [...byX].map(([x, hs]) => {
    const counts = Map.groupBy(hs, (h) => `${h.tx}|${h.T}`);
    const groups = [...counts.values()];
    return {
      x,
      tx: Float64Array.from(groups, (g) => (g[0] as BuyerHistory).tx),
      T: Float64Array.from(groups, (g) => (g[0] as BuyerHistory).T),
      n: Float64Array.from(groups, (g) => g.length),
    };
  });
}

function logLikelihood(cols: Column[], r: number, alpha: number, a: number, b: number): number {
  const base = -lnGamma(r) + r * Math.log(alpha) - (lnGamma(a) + lnGamma(b) - lnGamma(a + b));
  let total = 0;
  for (const { x, tx, T, n } of cols) {
    const head = base + lnGamma(r + x) + lnGamma(a) + lnGamma(b + x) - lnGamma(a + b + x);
    const drop = x > 0 ? Math.log(a / (b + x - 1)) : 0;
    for (let i = 0; i < n.length; i++) {
      const alive = -(r + x) * Math.log(alpha + (T[i] as number));
      let ll = alive;
      if (x > 0) {
        const dropped = drop - (r + x) * Math.log(alpha + (tx[i] as number));
        const m = Math.max(alive, dropped);
        ll = m + Math.log(Math.exp(alive - m) + Math.exp(dropped - m));
      }
      total += (n[i] as number) * (head + ll);
    }
  }
  return total;
}

/** Maximum-likelihood BG/NBD for a store's buyers; `previous` (last night's fit) warm-starts the search. */
export function fitStoreBgNbd(histories: BuyerHistory[], previous?: { r: number; alpha: number; a: number; b: number } | null): BgNbdFit {
  const cols = columns(histories);
  const negLL = (v: number[]) => {
    if (v.some((p) => Math.abs(p) > LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const [r = 0, alpha = 0, a = 0, b = 0] = v.map(Math.exp);
    const ll = logLikelihood(cols, r, alpha, a, b);
    return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
  };
  const start = previous ? [previous.r, previous.alpha, previous.a, previous.b].map((p) => Math.max(-LOG_BOUND + 1, Math.min(LOG_BOUND - 1, Math.log(p)))) : START;
  const best = nelderMead(negLL, start, { tolerance: 1e-10, maxIterations: 3000 });
  const [r = 0, alpha = 0, a = 0, b = 0] = best.point.map(Math.exp);
  return { r, alpha, a, b, logLikelihood: -best.value };
}
