/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients 1, 2, ½, ½). The
 * models fitted here have a handful of smooth parameters and no gradient at hand; no maintained npm
 * package offers a dependency-free optimiser that runs in workerd, and this is forty lines.
 */
export type Minimum = { point: number[]; value: number; iterations: number };

export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  { tolerance = 1e-10, maxIterations = 2000, step = 0.5 }: { tolerance?: number; maxIterations?: number; step?: number } = {},
): Minimum {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((p) => ({ p, v: f(p) }));
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i] - v));
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((l, r) => l.v - r.v);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((s, q) => s + q.p[i], 0) / n);
    const reflected = along(centroid, worst.p, -1);
    const fr = f(reflected);
    if (fr < best.v) {
      const expanded = along(centroid, worst.p, -2);
      const fe = f(expanded);
      simplex[n] = fe < fr ? { p: expanded, v: fe } : { p: reflected, v: fr };
    } else if (fr < simplex[n - 1].v) {
      simplex[n] = { p: reflected, v: fr };
    } else {
      const contracted = fr < worst.v ? along(centroid, reflected, 0.5) : along(centroid, worst.p, 0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.v)) simplex[n] = { p: contracted, v: fc };
      else simplex = simplex.map((q, i) => (i === 0 ? q : { p: along(best.p, q.p, 0.5), v: f(along(best.p, q.p, 0.5)) }));
    }
  }
  simplex.sort((l, r) => l.v - r.v);
  return { point: simplex[0].p, value: simplex[0].v, iterations };
}
