import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { segmentGuardrails, segmentMembers, segments } from '../schema';

export type SegmentGuardrail = Omit<typeof segmentGuardrails.$inferSelect, 'storeId' | 'updatedAt'>;
/** A rule as the send path reads it for one contact: only the segments they are in. */
export type ContactSegmentGuardrail = SegmentGuardrail;
export type SegmentGuardrailRow = SegmentGuardrail & { nameFr: string; nameEn: string; updatedAt: number };

/**
 * The rules of the segments the contact is a member of now, as one statement: the send path adds it to the batch
 * that reads the store's guardrails, so a segment scope costs no round trip of its own (and the batched send stage
 * coalesces it across the intents of a queue batch).
 */
export const contactSegmentGuardrailsQuery = prepared((d) =>
  d
    .select({ segmentId: segmentGuardrails.segmentId, exclude: segmentGuardrails.exclude, cap: segmentGuardrails.cap, windowDays: segmentGuardrails.windowDays, hibernationDays: segmentGuardrails.hibernationDays })
    .from(segmentGuardrails)
    .innerJoin(
      segmentMembers,
      and(eq(segmentMembers.storeId, segmentGuardrails.storeId), eq(segmentMembers.segmentId, segmentGuardrails.segmentId), eq(segmentMembers.contactId, sql.placeholder('contactId'))),
    )
    .where(eq(segmentGuardrails.storeId, sql.placeholder('storeId')))
    .prepare(),
);

/** The store's segment-scoped guardrails with their segment's names, for the API and the settings page. */
export async function listSegmentGuardrails(d: Db, storeId: string): Promise<SegmentGuardrailRow[]> {
  return d
    .select({
      segmentId: segmentGuardrails.segmentId,
      exclude: segmentGuardrails.exclude,
      cap: segmentGuardrails.cap,
      windowDays: segmentGuardrails.windowDays,
      hibernationDays: segmentGuardrails.hibernationDays,
      updatedAt: segmentGuardrails.updatedAt,
      nameFr: sql<string>`coalesce(${segments.nameFr}, ${segmentGuardrails.segmentId})`,
      nameEn: sql<string>`coalesce(${segments.nameEn}, ${segmentGuardrails.segmentId})`,
    })
    .from(segmentGuardrails)
    .leftJoin(segments, and(eq(segments.storeId, segmentGuardrails.storeId), eq(segments.id, segmentGuardrails.segmentId)))
    .where(eq(segmentGuardrails.storeId, storeId))
    .orderBy(asc(segmentGuardrails.segmentId))
    .all();
}

export async function saveSegmentGuardrail(d: Db, storeId: string, rule: SegmentGuardrail, now: number): Promise<void> {
  const { segmentId: _s, ...set } = rule;
  await d
    .insert(segmentGuardrails)
    .values({ storeId, ...rule, updatedAt: now })
    .onConflictDoUpdate({ target: [segmentGuardrails.storeId, segmentGuardrails.segmentId], set: { ...set, updatedAt: now } });
}

/** True when there was a rule to remove. */
export async function deleteSegmentGuardrail(d: Db, storeId: string, segmentId: string): Promise<boolean> {
  const gone = await d
    .delete(segmentGuardrails)
    .where(and(eq(segmentGuardrails.storeId, storeId), eq(segmentGuardrails.segmentId, segmentId)))
    .returning({ segmentId: segmentGuardrails.segmentId })
    .get();
  return gone !== undefined;
}
