/**
 * The statistics an owner is shown for a split or a holdout: intervals, never bare point estimates, and a
 * sequential test that stays valid however often the owner looks. Pure functions over counts.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export type Proportion = { successes: number; trials: number };
export type Interval = { low: number; high: number };

/** Wilson's score interval for one proportion (no continuity correction): Newcombe's method 3. */
export function wilsonInterval({ successes, trials }: Proportion, z = Z95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (Statistics in Medicine 17:873–890, 1998, method 10): it keeps
 * its coverage with small counts and zero cells, where the Wald interval collapses or overshoots.
 */
export function newcombeDifference(a: Proportion, b: Proportion, z = Z95): Interval & { estimate: number } {
  const p1 = a.trials > 0 ? a.successes / a.trials : 0;
  const p2 = b.trials > 0 ? b.successes / b.trials : 0;
  const w1 = wilsonInterval(a, z);
  const w2 = wilsonInterval(b, z);
  const estimate = p1 - p2;
  return {
    estimate,
    low: estimate - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: estimate + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/**
 * Relative lift p1/p2 − 1 with the log-ratio (Katz) interval. A zero cell gets the usual 0.5 added to every
 * cell, so the interval stays finite and honest (very wide) instead of undefined.
 */
export function relativeLift(a: Proportion, b: Proportion, z = Z95): Interval & { estimate: number | null } {
  if (a.trials <= 0 || b.trials <= 0) return { estimate: null, low: -1, high: Number.POSITIVE_INFINITY };
  const zeroCell = a.successes === 0 || b.successes === 0 || a.successes === a.trials || b.successes === b.trials;
  const k = zeroCell ? 0.5 : 0;
  const x1 = a.successes + k;
  const n1 = a.trials + 2 * k;
  const x2 = b.successes + k;
  const n2 = b.trials + 2 * k;
  const logRatio = Math.log(x1 / n1 / (x2 / n2));
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return {
    estimate: b.successes === 0 ? null : a.successes / a.trials / (b.successes / b.trials) - 1,
    low: Math.exp(logRatio - z * se) - 1,
    high: Math.exp(logRatio + z * se) - 1,
  };
}

/**
 * Mixture sequential probability ratio test for a difference of two proportions (Johari, Pekelis & Walsh,
 * "Always valid inference", 2017), with a normal mixing distribution N(0, τ²) over the difference and the
 * plug-in variance of p̂1 − p̂2. Its p-value may be read after every new contact: the chance that it ever
 * drops below α under no difference stays at most α.
 */
export function msprtLikelihoodRatio(a: Proportion, b: Proportion, tau2: number): number {
  if (a.trials <= 0 || b.trials <= 0) return 1;
  const p1 = a.successes / a.trials;
  const p2 = b.successes / b.trials;
  const v = (p1 * (1 - p1)) / a.trials + (p2 * (1 - p2)) / b.trials;
  // No variance yet (all or nothing in both arms): no evidence either way.
  if (v <= 0) return 1;
  const diff = p1 - p2;
  return Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * diff * diff) / (2 * v * (v + tau2)));
}

/** τ² when the owner states none: the prior spread of plausible differences, a fifth of the pooled rate or 1 point. */
export function defaultTau2(a: Proportion, b: Proportion): number {
  const pooled = (a.successes + b.successes) / Math.max(1, a.trials + b.trials);
  return Math.max(0.01, pooled / 5) ** 2;
}

export type SequentialState = { pValue: number };

/** One look: the always-valid p-value is the running minimum of 1/Λ. */
export function sequentialLook(state: SequentialState, a: Proportion, b: Proportion, tau2 = defaultTau2(a, b)): SequentialState {
  const ratio = msprtLikelihoodRatio(a, b, tau2);
  return { pValue: Math.min(state.pValue, 1 / ratio) };
}

/** Two-sided z-test p-value of p1 − p2 with the pooled variance: what a naive dashboard shows at each look. */
export function naiveZTestPValue(a: Proportion, b: Proportion): number {
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (!(se > 0)) return 1;
  const z = Math.abs(a.successes / a.trials - b.successes / b.trials) / se;
  return 2 * (1 - normalCdf(z));
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfc (Chebyshev fit), relative error below 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Contacts still needed per arm to detect `difference` (absolute) from `baseline` with a two-sided test at
 * level 0.05 and power 0.8 (the classic two-proportion formula): what a small store is told instead of a verdict.
 */
export function contactsNeededPerArm(baseline: number, difference: number): number | null {
  const p1 = baseline;
  const p2 = baseline + difference;
  if (!(difference !== 0 && p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1)) return null;
  const zBeta = 0.8416212335729143;
  const mean = (p1 + p2) / 2;
  const n = (Z95 * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / difference ** 2;
  return Math.ceil(n);
}
