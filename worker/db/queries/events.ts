import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client';
import { events } from '../schema';
import { chunks, rowsPerStatement, runBatch } from './batching';

export type StoredEvent = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;

/** An event row binds 9 parameters. */
const ROWS_PER_STATEMENT = rowsPerStatement(9);

/**
 * Inserts events, skipping any whose (store, event key) already exists, and returns the keys that were new:
 * a replayed batch inserts nothing and reports nothing new. `alongside` runs first in the same transaction,
 * so writes that must happen exactly once per event can be guarded by the event's absence.
 */
export async function insertEvents(d: Db, rows: NewEvent[], alongside: BatchItem<'sqlite'>[] = []): Promise<Set<string>> {
  const inserts = chunks(rows, ROWS_PER_STATEMENT).map((chunk) =>
    d.insert(events).values(chunk).onConflictDoNothing().returning({ eventKey: events.eventKey }),
  );
  const results = await runBatch<{ eventKey: string }[]>(d, [...alongside, ...inserts]);
  return new Set(results.slice(alongside.length).flat().map((r) => r.eventKey));
}

/** Gives a visitor's anonymous history to the contact who identified; earlier owners keep theirs. */
export async function attachEventsToContact(d: Db, storeId: string, visitorId: string, contactId: string): Promise<void> {
  await d
    .update(events)
    .set({ contactId })
    .where(and(eq(events.storeId, storeId), eq(events.visitorId, visitorId), isNull(events.contactId)));
}

export async function listEventsOfVisitor(d: Db, storeId: string, visitorId: string, limit = 100): Promise<StoredEvent[]> {
  return d
    .select()
    .from(events)
    .where(and(eq(events.storeId, storeId), eq(events.visitorId, visitorId)))
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(limit)
    .all();
}

export async function listEventsOfContact(d: Db, storeId: string, contactId: string, limit = 100): Promise<StoredEvent[]> {
  return d
    .select()
    .from(events)
    .where(and(eq(events.storeId, storeId), eq(events.contactId, contactId)))
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(limit)
    .all();
}

export async function countEvents(d: Db, storeId: string): Promise<number> {
  const row = await d.select({ n: sql<number>`count(*)` }).from(events).where(eq(events.storeId, storeId)).get();
  return row?.n ?? 0;
}

/** Visitors whose identity token named a Woo customer we did not know yet: resolved when the customer arrives. */
export async function findPendingCustomerVisitors(d: Db, storeId: string, wooCustomerId: number): Promise<string[]> {
  const rows = await pendingCustomerIdentifies(d, storeId, wooCustomerId).all();
  return [...new Set(rows.flatMap((r) => (r.visitorId ? [r.visitorId] : [])))];
}

/**
 * Not DISTINCT, and with literal terms rather than bound parameters: either would lead SQLite away from the partial
 * index events_pending_identify, to reading every event of the store.
 */
export function pendingCustomerIdentifies(d: Db, storeId: string, wooCustomerId: number) {
  return d
    .select({ visitorId: events.visitorId })
    .from(events)
    .where(
      and(
        eq(events.storeId, storeId),
        sql`${events.type} = 'identify' and ${events.contactId} is null`,
        sql`json_extract(${events.properties}, '$.pendingWooCustomerId') = ${wooCustomerId}`,
      ),
    );
}
