import { and, asc, eq, gt, gte, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { contactScores, type ContactScores } from '../../segments/scores/contact-view';
import { contacts, segmentDailyCounts, segmentMembers, segments } from '../schema';
import { segmentQuery, type CompileContext, type SegmentRules } from './segment-sql';

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const STANDING = sql.raw(`paid_at IS NOT NULL AND cancelled_at IS NULL AND deleted_at IS NULL AND status != 'refunded'`);

/** Today's member count of every segment of the store (0 for the empty ones), written once per day: the trend's points. */
export async function recordSegmentCounts(d: Db, storeId: string, now: number): Promise<void> {
  await d.run(sql`
    INSERT INTO segment_daily_counts (store_id, segment_id, day, members)
    SELECT s.store_id, s.id, ${dayOf(now)},
      (SELECT count(*) FROM segment_members m WHERE m.store_id = s.store_id AND m.segment_id = s.id)
    FROM segments s WHERE s.store_id = ${storeId} AND true
    ON CONFLICT (store_id, segment_id, day) DO UPDATE SET members = excluded.members`);
}

export type TrendPoint = { day: string; members: number };

/** The daily counts of the last `days` days (oldest first), per segment. */
export async function segmentTrends(d: Db, storeId: string, now: number, days: number): Promise<Map<string, TrendPoint[]>> {
  const rows = await d
    .select({ id: segmentDailyCounts.segmentId, day: segmentDailyCounts.day, members: segmentDailyCounts.members })
    .from(segmentDailyCounts)
    .where(and(eq(segmentDailyCounts.storeId, storeId), gte(segmentDailyCounts.day, dayOf(now - (days - 1) * DAY))))
    .orderBy(asc(segmentDailyCounts.day))
    .all();
  const out = new Map<string, TrendPoint[]>();
  for (const r of rows) out.set(r.id, [...(out.get(r.id) ?? []), { day: r.day, members: r.members }]);
  return out;
}

export type RfmCell = { r: number; f: number; m: number; contacts: number; revenue: number };

/**
 * Scored contacts per (R, F, M) with the net spend of their standing paid orders since `since` (the RFM window):
 * the dashboard folds F and M into FM the way the scoring does.
 */
export async function rfmCells(d: Db, storeId: string, since: number): Promise<RfmCell[]> {
  return d.all<RfmCell>(sql`
    SELECT cs.r AS r, cs.f AS f, cs.m AS m, count(*) AS contacts, round(coalesce(sum(o.spend), 0), 2) AS revenue
    FROM contact_scores cs
    LEFT JOIN (
      SELECT contact_id, sum(total - refunded_total) AS spend FROM orders
      WHERE store_id = ${storeId} AND contact_id IS NOT NULL AND created_at >= ${since} AND ${STANDING}
      GROUP BY contact_id
    ) o ON o.contact_id = cs.contact_id
    WHERE cs.store_id = ${storeId} AND cs.rfm_segment IS NOT NULL AND cs.r IS NOT NULL
    GROUP BY cs.r, cs.f, cs.m`);
}

/** How many contacts the rules select now, without writing anything: the builder's preview. */
export async function countMatching(d: Db, storeId: string, rules: SegmentRules, ctx: CompileContext): Promise<number> {
  const row = await d.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${segmentQuery(storeId, rules, ctx)}) q`);
  return row?.n ?? 0;
}

export type MemberRow = { contactId: string; email: string | null; since: number };

/** A page of a segment's members with their email, in contact-id order after `after`. */
export async function memberRows(d: Db, storeId: string, segmentId: string, limit: number, after?: string): Promise<MemberRow[]> {
  const where = and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.segmentId, segmentId), after ? gt(segmentMembers.contactId, after) : undefined);
  return d
    .select({ contactId: segmentMembers.contactId, email: contacts.email, since: segmentMembers.since })
    .from(segmentMembers)
    .leftJoin(contacts, and(eq(contacts.storeId, segmentMembers.storeId), eq(contacts.id, segmentMembers.contactId)))
    .where(where)
    .orderBy(asc(segmentMembers.contactId))
    .limit(limit)
    .all();
}

export type ContactScorePanel = Omit<ContactScores, 'segments'> & { segments: { id: string; name: { fr: string; en: string }; since: number }[] };

/** The contact page's scoring panel: RFM and its method, the lead score decayed to `now`, memberships with their names. */
export async function contactScorePanel(d: Db, storeId: string, contactId: string, now: number): Promise<ContactScorePanel> {
  const [scores, names] = await Promise.all([
    contactScores(d, storeId, contactId, now),
    d
      .select({ id: segments.id, fr: segments.nameFr, en: segments.nameEn })
      .from(segmentMembers)
      .innerJoin(segments, and(eq(segments.storeId, segmentMembers.storeId), eq(segments.id, segmentMembers.segmentId)))
      .where(and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.contactId, contactId)))
      .orderBy(asc(segments.createdAt), asc(segments.id))
      .all(),
  ]);
  const since = new Map(scores.segments.map((s) => [s.id, s.since]));
  return { ...scores, segments: names.map((n) => ({ id: n.id, name: { fr: n.fr, en: n.en }, since: since.get(n.id) ?? 0 })) };
}
