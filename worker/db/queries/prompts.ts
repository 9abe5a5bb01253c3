import { and, desc, eq, gt, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../client';
import { journeyEnrollments, orders, prompts, visitors } from '../schema';

export type Prompt = typeof prompts.$inferSelect;
export type NewPrompt = Pick<typeof prompts.$inferInsert, 'id' | 'storeId' | 'contactId' | 'idempotencyKey' | 'template' | 'context' | 'createdAt' | 'expiresAt'>;

/** Stores the prompt once per idempotency key; a re-run keeps the first row. */
export async function savePrompt(d: Db, row: NewPrompt): Promise<Prompt> {
  const inserted = await d.insert(prompts).values(row).onConflictDoNothing().returning().get();
  if (inserted) return inserted;
  const existing = await d
    .select()
    .from(prompts)
    .where(and(eq(prompts.storeId, row.storeId), eq(prompts.idempotencyKey, row.idempotencyKey)))
    .get();
  if (!existing) throw new Error(`prompt ${row.idempotencyKey} vanished while saving`);
  return existing;
}

/** The newest prompts still in force for the contact this visitor belongs to, newest first. */
export async function findPendingPromptsForVisitor(d: Db, storeId: string, visitorId: string, now: number, limit = 5): Promise<Prompt[]> {
  const contactOfVisitor = d
    .select({ contactId: visitors.contactId })
    .from(visitors)
    .where(and(eq(visitors.storeId, storeId), eq(visitors.visitorId, visitorId)));
  return d
    .select()
    .from(prompts)
    .where(
      and(
        eq(prompts.storeId, storeId),
        inArray(prompts.contactId, contactOfVisitor),
        gt(prompts.expiresAt, now),
        isNull(prompts.dismissedAt),
      ),
    )
    .orderBy(desc(prompts.createdAt), desc(prompts.id))
    .limit(limit)
    .all();
}

/** Whether the journey mirror says this enrollment ended on an exit event (order paid, flow disabled, ...). */
export async function enrollmentExited(d: Db, storeId: string, enrollmentId: string): Promise<boolean> {
  const row = await d
    .select({ status: journeyEnrollments.status })
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.storeId, storeId), eq(journeyEnrollments.id, enrollmentId)))
    .get();
  return row?.status === 'exited';
}

export async function markPromptShown(d: Db, storeId: string, id: string, now: number): Promise<void> {
  await d
    .update(prompts)
    .set({ shownAt: now })
    .where(and(eq(prompts.storeId, storeId), eq(prompts.id, id), isNull(prompts.shownAt)));
}

/** Dismisses the prompt only for a visitor of its own contact; returns whether one was found. */
export async function dismissPromptForVisitor(d: Db, storeId: string, id: string, visitorId: string, now: number): Promise<boolean> {
  const contactOfVisitor = d
    .select({ contactId: visitors.contactId })
    .from(visitors)
    .where(and(eq(visitors.storeId, storeId), eq(visitors.visitorId, visitorId)));
  const row = await d
    .select({ id: prompts.id, dismissedAt: prompts.dismissedAt })
    .from(prompts)
    .where(and(eq(prompts.storeId, storeId), eq(prompts.id, id), inArray(prompts.contactId, contactOfVisitor)))
    .get();
  if (!row) return false;
  if (row.dismissedAt === null) {
    await d.update(prompts).set({ dismissedAt: now }).where(and(eq(prompts.storeId, storeId), eq(prompts.id, id)));
  }
  return true;
}

export async function findPrompt(d: Db, storeId: string, id: string): Promise<Prompt | undefined> {
  return d.select().from(prompts).where(and(eq(prompts.storeId, storeId), eq(prompts.id, id))).get();
}

/** Whether the contact ordered (placed or paid, not cancelled) at or after `since`. */
export async function orderedSince(d: Db, storeId: string, contactId: string, since: number): Promise<boolean> {
  const row = await d
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.storeId, storeId),
        eq(orders.contactId, contactId),
        or(gte(orders.createdAt, since), gte(orders.paidAt, since)),
        isNull(orders.cancelledAt),
        isNull(orders.deletedAt),
      ),
    )
    .get();
  return row !== undefined;
}

export async function dismissPrompt(d: Db, storeId: string, id: string, now: number): Promise<void> {
  await d
    .update(prompts)
    .set({ dismissedAt: now })
    .where(and(eq(prompts.storeId, storeId), eq(prompts.id, id), isNull(prompts.dismissedAt)));
}
