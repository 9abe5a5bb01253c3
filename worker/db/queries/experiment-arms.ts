import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { journeyEnrollments as e, orders as o } from '../schema';

/** One arm's raw counts: contacts who entered, contacts with a paid order in the window, and that revenue net of refunds. */
export type ArmCounts = { variant: string | null; heldOut: boolean; entered: number; converted: number; revenue: number };

export type ArmQuery = { from: number; to: number; windowMs: number };

type Row = { variant: string | null; held_out: number; entered: number; converted: number | null; revenue: number | null };

/**
 * Counts per (split branch, holdout) of the contacts who entered the flow in [from, to). The unit is the contact
 * (assignment is by contact), counted once from their first entry in the period; they converted when they paid
 * an order placed within `windowMs` of that entry. Refunds reduce the revenue; fully refunded or cancelled
 * orders count for nothing.
 */
export async function experimentArmCounts(d: Db, storeId: string, flowId: string, q: ArmQuery): Promise<ArmCounts[]> {
  const rows = await d.all<Row>(sql`
    WITH firsts AS (
      SELECT ${e.contactId} AS contact_id, MIN(${e.enteredAt}) AS entered_at, MAX(${e.heldOut}) AS held_out, MAX(${e.variant}) AS variant
      FROM ${e}
      WHERE ${e.storeId} = ${storeId} AND ${e.flowId} = ${flowId} AND ${e.enteredAt} >= ${q.from} AND ${e.enteredAt} < ${q.to}
      GROUP BY ${e.contactId}
    ), outcomes AS (
      SELECT f.variant, f.held_out, COUNT(${o.id}) AS paid, COALESCE(SUM(${o.total} - ${o.refundedTotal}), 0) AS revenue
      FROM firsts f
      LEFT JOIN ${o} ON ${o.storeId} = ${storeId} AND ${o.contactId} = f.contact_id
        AND ${o.createdAt} >= f.entered_at AND ${o.createdAt} < f.entered_at + ${q.windowMs}
        AND ${o.paidAt} IS NOT NULL AND ${o.status} NOT IN ('refunded', 'cancelled', 'failed')
        AND ${o.deletedAt} IS NULL AND ${o.cancelledAt} IS NULL
      GROUP BY f.contact_id
    )
    SELECT variant, held_out, COUNT(*) AS entered, SUM(paid > 0) AS converted, SUM(revenue) AS revenue
    FROM outcomes GROUP BY variant, held_out`);
  return rows.map((r) => ({
    variant: r.variant,
    heldOut: r.held_out === 1,
    entered: r.entered,
    converted: r.converted ?? 0,
    revenue: Math.round((r.revenue ?? 0) * 100) / 100,
  }));
}
