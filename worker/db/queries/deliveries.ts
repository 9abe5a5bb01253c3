import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { ingestFailures, ingestPayloads, webhookDeliveries } from '../schema';

export type Delivery = typeof webhookDeliveries.$inferSelect;
export type NewDelivery = typeof webhookDeliveries.$inferInsert;
export type DeliveryOutcome = 'processed' | 'stale';
export type IngestFailure = typeof ingestFailures.$inferSelect;

/**
 * Logs a delivery the consumer is about to process. When the same delivery was already logged, returns that row
 * instead: the caller decides whether it still needs processing.
 */
export async function recordDelivery(d: Db, row: NewDelivery): Promise<Delivery | null> {
  const inserted = await d.insert(webhookDeliveries).values(row).onConflictDoNothing().returning().get();
  if (inserted) return null;
  const existing = await findDelivery(d, row.storeId, row.deliveryId);
  if (!existing) throw new Error(`delivery ${row.deliveryId} vanished during insert`);
  return existing;
}

export async function findDelivery(d: Db, storeId: string, deliveryId: string): Promise<Delivery | undefined> {
  return d
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.storeId, storeId), eq(webhookDeliveries.deliveryId, deliveryId)))
    .get();
}

/**
 * Records how processing ended. A delivery already finished keeps its first outcome: replaying it changes no
 * data, and so changes nothing in the log either.
 */
export async function finishDelivery(
  d: Db,
  storeId: string,
  deliveryId: string,
  outcome: DeliveryOutcome,
  at: number,
  note: string | null = null,
): Promise<void> {
  await d
    .update(webhookDeliveries)
    .set({ status: outcome, error: note, processedAt: at })
    .where(
      and(
        eq(webhookDeliveries.storeId, storeId),
        eq(webhookDeliveries.deliveryId, deliveryId),
        inArray(webhookDeliveries.status, ['queued', 'failed']),
      ),
    );
}

/** Keeps the latest processing error visible while the delivery waits for its next retry. */
export async function noteDeliveryError(d: Db, storeId: string, deliveryId: string, error: string): Promise<void> {
  await d
    .update(webhookDeliveries)
    .set({ error: error.slice(0, 1000) })
    .where(and(eq(webhookDeliveries.storeId, storeId), eq(webhookDeliveries.deliveryId, deliveryId)));
}

/**
 * Marks a delivery parked; the last processing error, when one was noted, stays as the reason. The consumer logs a
 * delivery only once it has decoded it, so a message parked before that still gets its row here.
 */
export async function failDelivery(
  d: Db,
  row: Pick<NewDelivery, 'storeId' | 'deliveryId' | 'webhookId' | 'topic' | 'receivedAt'>,
  reason: string,
  at: number,
): Promise<void> {
  const error = reason.slice(0, 1000);
  await d
    .insert(webhookDeliveries)
    .values({ ...row, status: 'failed', error, processedAt: at })
    .onConflictDoUpdate({
      target: [webhookDeliveries.storeId, webhookDeliveries.deliveryId],
      set: { status: 'failed', error: sql`coalesce(${webhookDeliveries.error}, ${error})`, processedAt: at },
    });
}

export async function storePayload(d: Db, id: string, storeId: string, body: string, at: number): Promise<void> {
  await d.insert(ingestPayloads).values({ id, storeId, body, createdAt: at }).onConflictDoNothing();
}

export async function loadPayload(d: Db, storeId: string, id: string): Promise<string | undefined> {
  const row = await d
    .select({ body: ingestPayloads.body })
    .from(ingestPayloads)
    .where(and(eq(ingestPayloads.storeId, storeId), eq(ingestPayloads.id, id)))
    .get();
  return row?.body;
}

export async function deletePayload(d: Db, storeId: string, id: string): Promise<void> {
  await d.delete(ingestPayloads).where(and(eq(ingestPayloads.storeId, storeId), eq(ingestPayloads.id, id)));
}

/** Parks a message that exhausted its retries. Parking the same message twice keeps one row. */
export async function parkFailure(d: Db, storeId: string, kind: string, message: unknown, at: number): Promise<void> {
  const json = JSON.stringify(message);
  await d.run(sql`insert into ${ingestFailures} (store_id, kind, message, failed_at)
    select ${storeId}, ${kind}, ${json}, ${at}
    where not exists (select 1 from ${ingestFailures} where store_id = ${storeId} and message = ${json})`);
}

export async function listFailures(d: Db, storeId: string, limit = 50): Promise<IngestFailure[]> {
  return d
    .select()
    .from(ingestFailures)
    .where(eq(ingestFailures.storeId, storeId))
    .orderBy(desc(ingestFailures.failedAt), desc(ingestFailures.id))
    .limit(limit)
    .all();
}
