import {
  msprtLikelihoodRatio,
  defaultTau2,
  newcombeDifference,
  relativeLift,
  type Interval,
  type Proportion,
} from './statistics';

/** One group's results: who entered, who converted within the window, and the money they spent. */
export type Arm = {
  entered: number;
  converted: number;
  conversionRate: number | null;
  revenue: number;
  revenuePerRecipient: number | null;
};

export type Comparison = {
  /** Conversion of `a` minus conversion of `b`, with Newcombe's hybrid score interval (95 %). */
  difference: Interval & { estimate: number };
  /** Conversion of `a` over `b` minus one, with the log-ratio interval (95 %); estimate null when `b` has no conversion. */
  relativeLift: Interval & { estimate: number | null };
  /** The mSPRT always-valid p-value at today's counts: it may be read every day without inflating false alarms. */
  pValue: number;
  /** Whether the sequential test rejects "no difference" at `alpha`: the only way a winner is declared. */
  significant: boolean;
  /** Further contacts (both arms together) before the sequential test could decide at today's rates; null once significant or when unknowable. */
  moreContactsNeeded: number | null;
};

export function arm(entered: number, converted: number, revenue: number): Arm {
  return {
    entered,
    converted,
    conversionRate: entered > 0 ? converted / entered : null,
    revenue,
    revenuePerRecipient: entered > 0 ? Math.round((revenue / entered) * 100) / 100 : null,
  };
}

const proportion = (x: Arm): Proportion => ({ successes: x.converted, trials: x.entered });

/** Beyond this many contacts per arm the answer is "not with this traffic": null. */
const MAX_PER_ARM = 100_000_000;

/** Whether the sequential test would reject at `n` contacts per arm if the rates stayed at p1 and p2. */
function rejectsAt(n: number, p1: number, p2: number, tau2: number, alpha: number): boolean {
  const a = { successes: p1 * n, trials: n };
  const b = { successes: p2 * n, trials: n };
  return 1 / msprtLikelihoodRatio(a, b, tau2) < alpha;
}

/**
 * Contacts per arm at which the same sequential test would declare a difference if today's rates held (with no
 * difference yet: a 10 % relative lift on the control, at least one point). It answers for the test that decides
 * the verdict, which needs more contacts than a fixed-size test would; null when no size would do.
 */
function sequentialSizePerArm(a: Arm, b: Arm, tau2: number, alpha: number): number | null {
  const base = b.conversionRate;
  if (base === null || a.conversionRate === null) return null;
  const observed = a.conversionRate - base;
  const p1 = observed !== 0 ? a.conversionRate : Math.min(0.999, base + Math.max(0.01, base * 0.1));
  let high = Math.max(2, a.entered, b.entered);
  while (!rejectsAt(high, p1, base, tau2, alpha)) {
    high *= 2;
    if (high > MAX_PER_ARM) return null;
  }
  let low = 1;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (rejectsAt(mid, p1, base, tau2, alpha)) high = mid;
    else low = mid;
  }
  return high;
}

/** `a` against `b` (the control): intervals, the always-valid p-value, and what is still missing when undecided. */
export function compareArms(a: Arm, b: Arm, alpha = 0.05): Comparison {
  const pa = proportion(a);
  const pb = proportion(b);
  const tau2 = defaultTau2(pa, pb);
  const pValue = Math.min(1, 1 / msprtLikelihoodRatio(pa, pb, tau2));
  const significant = pValue < alpha;
  const perArm = significant ? null : sequentialSizePerArm(a, b, tau2, alpha);
  return {
    difference: newcombeDifference(pa, pb),
    relativeLift: relativeLift(pa, pb),
    pValue,
    significant,
    moreContactsNeeded: perArm === null ? null : Math.max(0, perArm - a.entered) + Math.max(0, perArm - b.entered),
  };
}
