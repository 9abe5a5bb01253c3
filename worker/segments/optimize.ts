/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients 1, 2, ½, ½). The
 * models fitted here have a handful of smooth parameters and no gradient at hand; no maintained npm
 * package offers a dependency-free optimiser that runs in workerd, and this is forty lines.
 */
export type Minimum = { point: number[]; value: number; iterations: number };
type Vertex = { p: number[]; v: number };

export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  { tolerance = 1e-10, maxIterations = 2000, step = 0.5 }: { tolerance?: number; maxIterations?: number; step?: number } = {},
): Minimum {
  const n = start.length;
  const vertex = (p: number[]): Vertex => ({ p, v: f(p) });
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * ((to[i] ?? v) - v));
  let simplex: Vertex[] = [vertex(start), ...start.map((_, i) => vertex(start.map((v, j) => (i === j ? v + step : v))))];
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((l, r) => l.v - r.v);
    const [best, second] = [simplex[0] as Vertex, simplex[n - 1] as Vertex];
    const worst = simplex[n] as Vertex;
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((s, q) => s + (q.p[i] ?? 0), 0) / n);
    const reflected = vertex(along(centroid, worst.p, -1));
    if (reflected.v < best.v) {
      const expanded = vertex(along(centroid, worst.p, -2));
      simplex[n] = expanded.v < reflected.v ? expanded : reflected;
    } else if (reflected.v < second.v) {
      simplex[n] = reflected;
    } else {
      const contracted = vertex(along(centroid, reflected.v < worst.v ? reflected.p : worst.p, 0.5));
      if (contracted.v < Math.min(reflected.v, worst.v)) simplex[n] = contracted;
      else simplex = simplex.map((q, i) => (i === 0 ? q : vertex(along(best.p, q.p, 0.5))));
    }
  }
  simplex.sort((l, r) => l.v - r.v);
  const best = simplex[0] as Vertex;
  return { point: best.p, value: best.v, iterations };
}
