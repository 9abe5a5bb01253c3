import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { webhookCalls } from '../schema';

export type WebhookCall = typeof webhookCalls.$inferSelect;
type Outcome = { status: WebhookCall['status']; responseStatus: number | null; error: string | null };

/** The call's row, created on first sight; each attempt is counted before the request goes out. */
export async function beginWebhookCall(
  d: Db,
  row: Pick<WebhookCall, 'storeId' | 'idempotencyKey' | 'contactId' | 'url' | 'createdAt'>,
): Promise<WebhookCall> {
  await d
    .insert(webhookCalls)
    .values({ ...row, status: 'pending', attempts: 0, updatedAt: row.createdAt })
    .onConflictDoNothing();
  const where = and(eq(webhookCalls.storeId, row.storeId), eq(webhookCalls.idempotencyKey, row.idempotencyKey));
  const current = await d.select().from(webhookCalls).where(where).get();
  if (!current) throw new Error(`webhook call ${row.idempotencyKey} vanished`);
  if (current.status !== 'pending') return current;
  const counted = await d
    .update(webhookCalls)
    .set({ attempts: sql`${webhookCalls.attempts} + 1`, updatedAt: row.createdAt })
    .where(where)
    .returning()
    .get();
  return counted ?? current;
}

export async function finishWebhookCall(d: Db, storeId: string, idempotencyKey: string, outcome: Outcome, now: number): Promise<void> {
  await d
    .update(webhookCalls)
    .set({ ...outcome, updatedAt: now })
    .where(and(eq(webhookCalls.storeId, storeId), eq(webhookCalls.idempotencyKey, idempotencyKey)));
}

export async function findWebhookCall(d: Db, storeId: string, idempotencyKey: string): Promise<WebhookCall | undefined> {
  return d
    .select()
    .from(webhookCalls)
    .where(and(eq(webhookCalls.storeId, storeId), eq(webhookCalls.idempotencyKey, idempotencyKey)))
    .get();
}
