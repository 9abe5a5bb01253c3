import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { runSqlBatch } from './batching';
import { contactScores, segmentRuns } from '../schema';

export type ContactScoreRow = typeof contactScores.$inferSelect;
export type BuyerRow = { contactId: string; lastOrderAt: number; orders: number; spend: number };
export type RfmRow = { contactId: string; r: number; f: number; m: number; segment: string; method: 'quintiles' | 'bands' };
export type LeadScoreRow = { score: number; at: number; caps: Record<string, { periodStart: number; points: number }> };

const STANDING = sql.raw(`paid_at IS NOT NULL AND cancelled_at IS NULL AND deleted_at IS NULL AND status != 'refunded'`);

/** Last order, count and net spend of each contact's standing paid orders since `since` (one grouped scan). */
export async function buyerSummaries(d: Db, storeId: string, since: number, contactId?: string): Promise<BuyerRow[]> {
  const one = contactId === undefined ? sql`` : sql` AND contact_id = ${contactId}`;
  return d.all<BuyerRow>(sql`
    SELECT contact_id AS contactId, max(created_at) AS lastOrderAt, count(*) AS orders, round(sum(total - refunded_total), 2) AS spend
    FROM orders WHERE store_id = ${storeId} AND contact_id IS NOT NULL${one} AND created_at >= ${since} AND ${STANDING}
    GROUP BY contact_id`);
}

/** Rows per statement: each travels as ONE JSON parameter (D1 binds at most 100 values per query). */
const CHUNK = 2000;

/**
 * Stores RFM scores (as JSON arrays read back with json_each, so thousands of rows cost one statement), then clears
 * the scores of contacts with no standing paid order since `since` (they fell out of the window); `onlyContact`
 * narrows that clearing to one contact when only they were rescored.
 */
export async function writeRfmScores(d: Db, storeId: string, rows: RfmRow[], since: number, now: number, onlyContact?: string): Promise<void> {
  const one = onlyContact === undefined ? sql`` : sql` AND contact_id = ${onlyContact}`;
  const writes: SQL[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK).map((r) => [r.contactId, r.r, r.f, r.m, r.segment, r.method]));
    writes.push(
      sql`
        INSERT INTO contact_scores (store_id, contact_id, r, f, m, rfm_segment, rfm_method, computed_at)
        SELECT ${storeId}, json_extract(v.value, '$[0]'), json_extract(v.value, '$[1]'), json_extract(v.value, '$[2]'), json_extract(v.value, '$[3]'), json_extract(v.value, '$[4]'), json_extract(v.value, '$[5]'), ${now}
        FROM json_each(${json}) v WHERE true
        ON CONFLICT (store_id, contact_id) DO UPDATE SET r = excluded.r, f = excluded.f, m = excluded.m,
          rfm_segment = excluded.rfm_segment, rfm_method = excluded.rfm_method, computed_at = excluded.computed_at`,
    );
  }
  writes.push(
    sql`
      UPDATE contact_scores SET r = NULL, f = NULL, m = NULL, rfm_segment = NULL, rfm_method = NULL, computed_at = ${now}
      WHERE store_id = ${storeId}${one} AND rfm_segment IS NOT NULL AND contact_id NOT IN (
        SELECT contact_id FROM orders WHERE store_id = ${storeId} AND contact_id IS NOT NULL AND created_at >= ${since} AND ${STANDING})`,
  );
  await runSqlBatch(d, writes);
}

export async function findContactScore(d: Db, storeId: string, contactId: string): Promise<ContactScoreRow | undefined> {
  return d.select().from(contactScores).where(and(eq(contactScores.storeId, storeId), eq(contactScores.contactId, contactId))).get();
}

/**
 * Writes the lead score only if it is still the one read at `readAt` (compare-and-set): two deliveries for the same
 * contact at once must not lose each other's points. Returns false when someone else wrote first.
 */
export async function writeLeadScore(d: Db, storeId: string, contactId: string, lead: LeadScoreRow, readAt: number | null = null): Promise<boolean> {
  const written = await d
    .insert(contactScores)
    .values({ storeId, contactId, leadScore: lead.score, leadScoreAt: lead.at, leadScoreCaps: lead.caps, computedAt: lead.at })
    .onConflictDoUpdate({
      target: [contactScores.storeId, contactScores.contactId],
      set: { leadScore: lead.score, leadScoreAt: lead.at, leadScoreCaps: lead.caps },
      setWhere: sql`${contactScores.leadScoreAt} IS ${readAt}`,
    })
    .returning({ contactId: contactScores.contactId });
  return written.length > 0;
}

export type SegmentRun = typeof segmentRuns.$inferSelect;

export async function findSegmentRun(d: Db, storeId: string): Promise<SegmentRun | undefined> {
  return d.select().from(segmentRuns).where(eq(segmentRuns.storeId, storeId)).get();
}

export async function saveSegmentRun(d: Db, storeId: string, set: Partial<Omit<SegmentRun, 'storeId'>>): Promise<void> {
  await d.insert(segmentRuns).values({ storeId, ...set }).onConflictDoUpdate({ target: segmentRuns.storeId, set });
}
