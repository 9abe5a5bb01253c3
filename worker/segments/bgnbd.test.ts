import { describe, expect, it } from 'vitest';
import summary from '../../../shared/datasets/cdnow/cdnow_customers_summary.csv?raw';
import { customerLogLikelihood, expectedPurchases, fitBgNbd, hyp2f1, lnGamma, probabilityAlive, type BuyerHistory } from './bgnbd';
import { nelderMead } from './optimize';

/** The CDNOW sample's calibration summary (weeks): ID,frequency,recency,T. */
function cdnowHistories(): BuyerHistory[] {
  return summary
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, x = NaN, tx = NaN, T = NaN] = line.split(',').map(Number);
      return { x, tx, T };
    });
}

const sig3 = (v: number) => Number(v.toPrecision(3));

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const histories = cdnowHistories();
  const fit = fitBgNbd(histories);

  it('reads all 2,357 customers of the sample', () => {
    expect(histories).toHaveLength(2357);
  });

  it('recovers r = 0.243, α = 4.414, a = 0.793, b = 2.426 to 3 significant digits', () => {
    expect([sig3(fit.r), sig3(fit.alpha), sig3(fit.a), sig3(fit.b)]).toEqual([0.243, 4.41, 0.793, 2.43]);
    // The paper's log-likelihood at the optimum.
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it('expects 1.226 purchases in the next 39 weeks for x = 2, tₓ = 30.43, T = 38.86', () => {
    expect(expectedPurchases(fit, { x: 2, tx: 30.43, T: 38.86 }, 39).toFixed(3)).toBe('1.226');
  });

  it('gives a lower probability alive to a customer silent for longer', () => {
    const recent = probabilityAlive(fit, { x: 3, tx: 37, T: 38.86 });
    const silent = probabilityAlive(fit, { x: 3, tx: 5, T: 38.86 });
    expect(recent).toBeGreaterThan(0.8);
    expect(silent).toBeLessThan(recent);
    expect(probabilityAlive(fit, { x: 0, tx: 0, T: 38.86 })).toBe(1);
  });
});

describe('numerical building blocks', () => {
  it('lnGamma matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
  it('₂F₁(1, 1; 2; z) = −ln(1 − z)/z', () => {
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
  });
  it('Nelder–Mead finds the minimum of the Rosenbrock function', () => {
    const { point } = nelderMead(([x = 0, y = 0]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], { maxIterations: 10_000, tolerance: 1e-16 });
    expect(point[0]).toBeCloseTo(1, 4);
    expect(point[1]).toBeCloseTo(1, 4);
  });
  it('a customer with no repeat purchase has the closed-form likelihood', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    // x = 0: ln[(α/(α+T))^r]
    expect(customerLogLikelihood(params, { x: 0, tx: 0, T: 38.86 })).toBeCloseTo(0.243 * Math.log(4.414 / (4.414 + 38.86)), 10);
  });
});
