import type { PairRow } from '../db/queries/rec-counts';

/** Accumulated scores per product; ties rank by product id so a list is stable. */
export class Scores {
  private readonly byId = new Map<number, number>();

  add(id: number, score: number): void {
    this.byId.set(id, (this.byId.get(id) ?? 0) + score);
  }

  ranked(): number[] {
    return [...this.byId.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
  }
}

/**
 * Cosine similarity of two products' order sets: orders with both / √(orders with one × orders
 * with the other). Unlike raw counts it does not push every bestseller next to everything.
 */
export function cosine(row: Pick<PairRow, 'pair' | 'seed' | 'other'>): number {
  return row.pair / Math.sqrt(row.seed * row.other);
}

/** Neighbours of the seeds, each scored by its summed cosine with them. */
export function cosineNeighbours(rows: PairRow[]): Scores {
  const scores = new Scores();
  for (const row of rows) scores.add(row.otherId, cosine(row));
  return scores;
}
