import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { visitors } from '../schema';
import { chunks, rowsPerStatement, runBatch } from './batching';

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

export type VisitorSeen = { storeId: string; visitorId: string; firstSeenAt: number; lastSeenAt: number };

/** A visitor row binds 4 parameters. */
const VISITORS_PER_STATEMENT = rowsPerStatement(4);

/**
 * `touchVisitor` for many visitors, one statement per chunk of rows: keeps the earliest first sighting and the
 * latest last sighting. Sightings of the same visitor are merged first, as one statement cannot upsert a row twice
 * and report it once.
 */
export function touchVisitorsStatements(d: Db, seen: VisitorSeen[]) {
  const merged = new Map<string, VisitorSeen>();
  for (const s of seen) {
    const key = `${s.storeId}\u0000${s.visitorId}`;
    const prior = merged.get(key) ?? s;
    const firstSeenAt = Math.min(prior.firstSeenAt, s.firstSeenAt);
    merged.set(key, { ...s, firstSeenAt, lastSeenAt: Math.max(prior.lastSeenAt, s.lastSeenAt) });
  }
  return chunks([...merged.values()], VISITORS_PER_STATEMENT).map((rows) =>
    d
      .insert(visitors)
      .values(rows)
      .onConflictDoUpdate({
        target: [visitors.storeId, visitors.visitorId],
        set: {
          firstSeenAt: sql`min(${visitors.firstSeenAt}, excluded.first_seen_at)`,
          lastSeenAt: sql`max(${visitors.lastSeenAt}, excluded.last_seen_at)`,
        },
      })
      .returning(),
  );
}

/** Touches every visitor in one round trip; returns their rows (in no particular order). */
export async function touchVisitors(d: Db, seen: VisitorSeen[]): Promise<Visitor[]> {
  return (await runBatch<Visitor[]>(d, touchVisitorsStatements(d, seen))).flat();
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
