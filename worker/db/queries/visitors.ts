import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { visitors } from '../schema';

export type Visitor = typeof visitors.$inferSelect;

/** Records that the visitor was seen; returns the row so callers know whether it is already linked. */
export async function touchVisitor(d: Db, storeId: string, visitorId: string, seenAt: number): Promise<Visitor> {
  const row = await d
    .insert(visitors)
    .values({ storeId, visitorId, firstSeenAt: seenAt, lastSeenAt: seenAt })
    .onConflictDoUpdate({
      target: [visitors.storeId, visitors.visitorId],
      set: {
        firstSeenAt: sql`min(${visitors.firstSeenAt}, excluded.first_seen_at)`,
        lastSeenAt: sql`max(${visitors.lastSeenAt}, excluded.last_seen_at)`,
      },
    })
    .returning()
    .get();
  return row;
}

export async function findVisitor(d: Db, storeId: string, visitorId: string): Promise<Visitor | undefined> {
  return d
    .select()
    .from(visitors)
    .where(and(eq(visitors.storeId, storeId), eq(visitors.visitorId, visitorId)))
    .get();
}

/** A visitor belongs to the contact who identified last on it (a shared device changes hands). */
export async function linkVisitorToContact(d: Db, storeId: string, visitorId: string, contactId: string): Promise<void> {
  await d
    .update(visitors)
    .set({ contactId })
    .where(and(eq(visitors.storeId, storeId), eq(visitors.visitorId, visitorId)));
}
