import { describe, expect, it } from 'vitest';
import {
  contactsNeededPerArm,
  naiveZTestPValue,
  newcombeDifference,
  relativeLift,
  sequentialLook,
  wilsonInterval,
  type Proportion,
} from './statistics';

const p = (successes: number, trials: number): Proportion => ({ successes, trials });

describe('Newcombe (1998) hybrid score interval, Table II method 10', () => {
  // Statistics in Medicine 17:873–890, Table II, 95 % limits for θ = π1 − π2.
  const published: [Proportion, Proportion, number, number][] = [
    [p(56, 70), p(48, 80), 0.0524, 0.3339],
    [p(9, 10), p(3, 10), 0.1705, 0.809],
    [p(5, 56), p(0, 29), -0.0381, 0.1926],
    [p(0, 10), p(0, 20), -0.1611, 0.2775],
    [p(10, 10), p(0, 20), 0.6791, 1.0],
  ];
  it.each(published)('%o vs %o → (%d, %d)', (a, b, low, high) => {
    const ci = newcombeDifference(a, b);
    expect(ci.low.toFixed(4)).toBe(low.toFixed(4));
    expect(ci.high.toFixed(4)).toBe(high.toFixed(4));
  });

  it('Wilson interval matches Newcombe Table I (method 3) for 81/263', () => {
    const ci = wilsonInterval(p(81, 263));
    expect(ci.low.toFixed(4)).toBe('0.2553');
    expect(ci.high.toFixed(4)).toBe('0.3662');
  });
});

describe('relative lift (log-ratio interval)', () => {
  it('is centred on the ratio and contains it', () => {
    const lift = relativeLift(p(60, 500), p(40, 500));
    expect(lift.estimate).toBeCloseTo(0.5, 10);
    expect(lift.low).toBeLessThan(0.5);
    expect(lift.high).toBeGreaterThan(0.5);
    // Katz: SE = sqrt(1/60 − 1/500 + 1/40 − 1/500) = 0.19408; exp(ln 1.5 ± 1.96·SE) − 1.
    expect(lift.low).toBeCloseTo(Math.exp(Math.log(1.5) - 1.959964 * 0.19408) - 1, 3);
  });
  it('stays finite with a zero cell and says there is no estimate', () => {
    const lift = relativeLift(p(3, 40), p(0, 40));
    expect(lift.estimate).toBeNull();
    expect(Number.isFinite(lift.high)).toBe(true);
    expect(lift.low).toBeGreaterThan(-1);
  });
});

describe('sample size for small stores', () => {
  it('gives the classic two-proportion figure (5 % → 7 %, α 0.05, power 0.8)', () => {
    // (1.95996·√(2·0.06·0.94) + 0.84162·√(0.05·0.95 + 0.07·0.93))² / 0.02² = 2212.2 → 2,213 per arm.
    expect(contactsNeededPerArm(0.05, 0.02)).toBe(2213);
  });
  it('refuses a difference of zero or a rate outside (0, 1)', () => {
    expect(contactsNeededPerArm(0.05, 0)).toBeNull();
    expect(contactsNeededPerArm(0.99, 0.02)).toBeNull();
  });
});

/** Mulberry32: the simulation is seeded, so it gives the same figures on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('always-valid sequential test (mSPRT) in simulated A/A tests', () => {
  it('declares at most α of 2,000 A/A tests significant when checked after every 100 contacts; a naive z-test does not', () => {
    const alpha = 0.05;
    const tests = 2000;
    const looks = 20;
    const rate = 0.1;
    const random = prng(20261202);
    let msprtFalse = 0;
    let naiveFalse = 0;
    for (let t = 0; t < tests; t++) {
      const a = { successes: 0, trials: 0 };
      const b = { successes: 0, trials: 0 };
      let state = { pValue: 1 };
      let msprtHit = false;
      let naiveHit = false;
      for (let look = 0; look < looks; look++) {
        for (let i = 0; i < 100; i++) {
          // Stable 50/50 assignment, the same conversion rate in both arms.
          const arm = i % 2 === 0 ? a : b;
          arm.trials += 1;
          if (random() < rate) arm.successes += 1;
        }
        state = sequentialLook(state, a, b);
        if (state.pValue <= alpha) msprtHit = true;
        if (naiveZTestPValue(a, b) <= alpha) naiveHit = true;
      }
      if (msprtHit) msprtFalse += 1;
      if (naiveHit) naiveFalse += 1;
    }
    const simulationError = 3 * Math.sqrt((alpha * (1 - alpha)) / tests);
    expect(msprtFalse / tests).toBeLessThanOrEqual(alpha + simulationError);
    expect(naiveFalse / tests).toBeGreaterThan(alpha + simulationError);
  });

  it('does declare a real difference once enough contacts have been seen', () => {
    const random = prng(7);
    const a = { successes: 0, trials: 0 };
    const b = { successes: 0, trials: 0 };
    let state = { pValue: 1 };
    for (let i = 0; i < 6000; i++) {
      const arm = i % 2 === 0 ? a : b;
      arm.trials += 1;
      if (random() < (arm === a ? 0.15 : 0.1)) arm.successes += 1;
      if (i % 100 === 99) state = sequentialLook(state, a, b);
    }
    expect(state.pValue).toBeLessThan(0.05);
  });
});
