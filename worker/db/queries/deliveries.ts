import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { ingestFailures, ingestPayloads, webhookDeliveries } from '../schema';
import { chunks, IDS_PER_STATEMENT, rowsPerStatement, runBatch } from './batching';

export type Delivery = typeof webhookDeliveries.$inferSelect;
export type NewDelivery = typeof webhookDeliveries.$inferInsert;
/** `skipped`: acknowledged and logged but not applied (a body without an id, a delete of a record that is not ours, erased). */
export type DeliveryOutcome = 'processed' | 'stale' | 'skipped';
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
export async function parkFailure(d: Db, storeId: string, kind: string, message: unknown, at: number, error: string | null = null): Promise<void> {
  const json = JSON.stringify(message);
  await d.run(sql`insert into ${ingestFailures} (store_id, kind, message, failed_at, error)
    select ${storeId}, ${kind}, ${json}, ${at}, ${error?.slice(0, 500) ?? null}
    where not exists (select 1 from ${ingestFailures} where store_id = ${storeId} and message = ${json})`);
}

/**
 * Takes a parked message out of `ingest_failures` for a retry. The delete is the claim: of two concurrent retries
 * only one gets the row back, so the message is queued once.
 */
export async function claimFailure(d: Db, storeId: string, id: number): Promise<IngestFailure | undefined> {
  return d.delete(ingestFailures).where(and(eq(ingestFailures.storeId, storeId), eq(ingestFailures.id, id))).returning().get();
}

/** Puts a claimed failure back when it could not be queued again. */
export async function restoreFailure(d: Db, row: IngestFailure): Promise<void> {
  await d.insert(ingestFailures).values(row).onConflictDoNothing();
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

/** A delivery row binds 9 parameters. */
const DELIVERY_ROWS_PER_STATEMENT = rowsPerStatement(9);

export type LoggedDelivery = Pick<Delivery, 'storeId' | 'deliveryId' | 'status' | 'receivedAt'>;
export type FinishedDelivery = { storeId: string; deliveryId: string; outcome: DeliveryOutcome; note: string | null };
export type PayloadRef = { storeId: string; id: string };

function byStore<T extends { storeId: string }>(items: T[]): Map<string, T[]> {
  return Map.groupBy(items, (item) => item.storeId);
}

/**
 * `recordDelivery` for many deliveries in one round trip: logs each one not yet logged, then reads every row back
 * in the same transaction, so a delivery logged earlier shows its first arrival time and its status.
 */
export async function recordDeliveries(d: Db, rows: NewDelivery[]): Promise<LoggedDelivery[]> {
  const full = rows.map((row) => ({ ...row, error: row.error ?? null, processedAt: row.processedAt ?? null }));
  const inserts = chunks(full, DELIVERY_ROWS_PER_STATEMENT).map((chunk) =>
    d.insert(webhookDeliveries).values(chunk).onConflictDoNothing(),
  );
  const reads = [...byStore(rows)].flatMap(([storeId, group]) =>
    chunks(group, IDS_PER_STATEMENT).map((chunk) =>
      d
        .select({
          storeId: webhookDeliveries.storeId,
          deliveryId: webhookDeliveries.deliveryId,
          status: webhookDeliveries.status,
          receivedAt: webhookDeliveries.receivedAt,
        })
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.storeId, storeId),
            inArray(webhookDeliveries.deliveryId, chunk.map((r) => r.deliveryId)),
          ),
        ),
    ),
  );
  const results = await runBatch<LoggedDelivery[]>(d, [...inserts, ...reads]);
  return results.slice(inserts.length).flat();
}

/**
 * `finishDelivery` for many deliveries, and the release of their payloads, in one round trip. Deliveries that
 * ended alike share one statement; the same guard keeps a finished delivery's first outcome.
 */
export async function finishDeliveries(d: Db, finished: FinishedDelivery[], payloads: PayloadRef[], at: number): Promise<void> {
  const alike = Map.groupBy(finished, (f) => JSON.stringify([f.storeId, f.outcome, f.note]));
  const updates = [...alike.values()].flatMap((group) => {
    const [{ storeId, outcome, note }] = group as [FinishedDelivery];
    return chunks(group, IDS_PER_STATEMENT).map((chunk) =>
      d
        .update(webhookDeliveries)
        .set({ status: outcome, error: note, processedAt: at })
        .where(
          and(
            eq(webhookDeliveries.storeId, storeId),
            inArray(webhookDeliveries.deliveryId, chunk.map((f) => f.deliveryId)),
            inArray(webhookDeliveries.status, ['queued', 'failed']),
          ),
        ),
    );
  });
  const releases = [...byStore(payloads)].flatMap(([storeId, group]) =>
    chunks(group, IDS_PER_STATEMENT).map((chunk) =>
      d.delete(ingestPayloads).where(
        and(
          eq(ingestPayloads.storeId, storeId),
          inArray(ingestPayloads.id, chunk.map((p) => p.id)),
        ),
      ),
    ),
  );
  await runBatch(d, [...updates, ...releases]);
}

/** `loadPayload` for many payloads in one round trip; a missing payload is absent from the answer. */
export async function loadPayloads(d: Db, refs: PayloadRef[]): Promise<(PayloadRef & { body: string })[]> {
  const reads = [...byStore(refs)].flatMap(([storeId, group]) =>
    chunks(group, IDS_PER_STATEMENT).map((chunk) =>
      d
        .select({ storeId: ingestPayloads.storeId, id: ingestPayloads.id, body: ingestPayloads.body })
        .from(ingestPayloads)
        .where(
          and(
            eq(ingestPayloads.storeId, storeId),
            inArray(ingestPayloads.id, chunk.map((p) => p.id)),
          ),
        ),
    ),
  );
  return (await runBatch<(PayloadRef & { body: string })[]>(d, reads)).flat();
}
