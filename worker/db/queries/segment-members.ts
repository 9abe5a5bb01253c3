import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { runSqlBatch } from './batching';
import { segmentMembers, segments } from '../schema';
import { segmentQuery, type CompileContext, type SegmentRules } from './segment-sql';

export type SegmentRow = typeof segments.$inferSelect;
export type NewSegment = typeof segments.$inferInsert;
export type SegmentDiff = { entered: string[]; exited: string[] };

export async function listSegmentRows(d: Db, storeId: string): Promise<SegmentRow[]> {
  return d.select().from(segments).where(eq(segments.storeId, storeId)).orderBy(asc(segments.createdAt), asc(segments.id)).all();
}

export async function findSegment(d: Db, storeId: string, id: string): Promise<SegmentRow | undefined> {
  return d.select().from(segments).where(and(eq(segments.storeId, storeId), eq(segments.id, id))).get();
}

/** Member counts per segment of the store, in one grouped read of the membership table. */
export async function segmentCounts(d: Db, storeId: string): Promise<Map<string, number>> {
  const rows = await d
    .select({ id: segmentMembers.segmentId, n: sql<number>`count(*)` })
    .from(segmentMembers)
    .where(eq(segmentMembers.storeId, storeId))
    .groupBy(segmentMembers.segmentId)
    .all();
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Inserts the segments not there yet and brings older versions of them up to date (built-in definitions ship in code). */
export async function upsertSegments(d: Db, rows: NewSegment[]): Promise<void> {
  if (rows.length === 0) return;
  const writes = rows.map((row) =>
    d
      .insert(segments)
      .values(row)
      .onConflictDoUpdate({
        target: [segments.storeId, segments.id],
        set: { nameFr: row.nameFr, nameEn: row.nameEn, rules: row.rules, version: row.version, updatedAt: row.updatedAt },
        setWhere: sql`${segments.version} < ${row.version ?? 1}`,
      }),
  );
  await d.batch(writes as [(typeof writes)[number], ...typeof writes]);
}

export async function insertSegment(d: Db, row: NewSegment): Promise<void> {
  await d.insert(segments).values(row);
}

export async function updateSegment(d: Db, storeId: string, id: string, set: Partial<Pick<NewSegment, 'nameFr' | 'nameEn' | 'rules' | 'version' | 'updatedAt'>>): Promise<void> {
  await d.update(segments).set(set).where(and(eq(segments.storeId, storeId), eq(segments.id, id)));
}

/** Removes the segment and its membership together. */
export async function deleteSegment(d: Db, storeId: string, id: string): Promise<void> {
  await d.batch([
    d.delete(segmentMembers).where(and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.segmentId, id))),
    d.delete(segments).where(and(eq(segments.storeId, storeId), eq(segments.id, id))),
  ]);
}

/**
 * Full recompute of one segment, diffed in SQL: members the rules no longer select leave, contacts they newly select
 * join (with `since` = now). Returns who entered and who left.
 */
export async function recomputeSegment(d: Db, storeId: string, segmentId: string, rules: SegmentRules, ctx: CompileContext): Promise<SegmentDiff> {
  const selected = segmentQuery(storeId, rules, ctx);
  const exited = await d.all<{ contactId: string }>(sql`
    DELETE FROM segment_members WHERE store_id = ${storeId} AND segment_id = ${segmentId} AND contact_id NOT IN (${selected})
    RETURNING contact_id AS contactId`);
  const entered = await d.all<{ contactId: string }>(sql`
    INSERT INTO segment_members (store_id, segment_id, contact_id, since)
    SELECT ${storeId}, ${segmentId}, q.id, ${ctx.now} FROM (${selected}) q WHERE true
    ON CONFLICT DO NOTHING RETURNING contact_id AS contactId`);
  return { entered: entered.map((r) => r.contactId), exited: exited.map((r) => r.contactId) };
}

/** Which of `candidates` select the contact now: one query per segment, all in one round trip. */
export async function matchingSegments(d: Db, storeId: string, contactId: string, candidates: { id: string; rules: SegmentRules }[], ctx: CompileContext): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const reads = candidates.map((s) => sql`SELECT ${s.id} AS id WHERE EXISTS (${segmentQuery(storeId, s.rules, ctx, contactId)})`);
  const results = await runSqlBatch<{ id: string }>(d, reads);
  return new Set(results.flat().map((x) => x.id));
}

export async function contactSegmentIds(d: Db, storeId: string, contactId: string): Promise<Map<string, number>> {
  const rows = await d
    .select({ id: segmentMembers.segmentId, since: segmentMembers.since })
    .from(segmentMembers)
    .where(and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.contactId, contactId)))
    .all();
  return new Map(rows.map((r) => [r.id, r.since]));
}

/** Writes one contact's entries and exits at once. */
export async function applyContactMembership(d: Db, storeId: string, contactId: string, diff: { entered: string[]; exited: string[] }, now: number): Promise<void> {
  const writes = [
    ...diff.entered.map((segmentId) => d.insert(segmentMembers).values({ storeId, segmentId, contactId, since: now }).onConflictDoNothing()),
    ...diff.exited.map((segmentId) =>
      d.delete(segmentMembers).where(and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.segmentId, segmentId), eq(segmentMembers.contactId, contactId))),
    ),
  ];
  if (writes.length > 0) await d.batch(writes as [(typeof writes)[number], ...typeof writes]);
}

/** A page of members in contact-id order; `after` is the last id of the previous page. */
export async function segmentMemberPage(d: Db, storeId: string, segmentId: string, limit: number, after?: string) {
  const where = and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.segmentId, segmentId), after ? gt(segmentMembers.contactId, after) : undefined);
  return d
    .select({ contactId: segmentMembers.contactId, since: segmentMembers.since })
    .from(segmentMembers)
    .where(where)
    .orderBy(asc(segmentMembers.contactId))
    .limit(limit)
    .all();
}

export async function allMembers(d: Db, storeId: string, segmentId: string): Promise<string[]> {
  const rows = await d.select({ id: segmentMembers.contactId }).from(segmentMembers).where(and(eq(segmentMembers.storeId, storeId), eq(segmentMembers.segmentId, segmentId))).all();
  return rows.map((r) => r.id);
}
