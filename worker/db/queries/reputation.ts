import { and, desc, eq, gte, inArray, ne } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { consents, messages, providerEvents, reputationHistory, reputationSettings, reputationState, type SendingStateName } from '../schema';
import { STORE_ADMIN_RECIPIENT } from './provider-events';

export type ReputationSettingsRow = typeof reputationSettings.$inferSelect;
export type ReputationThresholds = Omit<ReputationSettingsRow, 'storeId' | 'updatedAt'>;
export type ReputationStateRow = typeof reputationState.$inferSelect;
export type ReputationHistoryRow = typeof reputationHistory.$inferSelect;

export function thresholdsOf(row: ReputationSettingsRow): ReputationThresholds {
  const { complaintWarn, complaintPause, hardBounceWarn, hardBouncePause, unsubscribeWarn, unsubscribePause, minVolume, slowStartDailyCap } = row;
  return { complaintWarn, complaintPause, hardBounceWarn, hardBouncePause, unsubscribeWarn, unsubscribePause, minVolume, slowStartDailyCap };
}

export async function findReputationSettings(d: Db, storeId: string): Promise<ReputationSettingsRow | undefined> {
  return d.select().from(reputationSettings).where(eq(reputationSettings.storeId, storeId)).get();
}

export async function saveReputationSettings(d: Db, storeId: string, t: ReputationThresholds, now: number): Promise<ReputationSettingsRow> {
  return d
    .insert(reputationSettings)
    .values({ storeId, ...t, updatedAt: now })
    .onConflictDoUpdate({ target: reputationSettings.storeId, set: { ...t, updatedAt: now } })
    .returning()
    .get();
}

export async function findReputationState(d: Db, storeId: string): Promise<ReputationStateRow | undefined> {
  return d.select().from(reputationState).where(eq(reputationState.storeId, storeId)).get();
}

export type StateChange = {
  storeId: string;
  from: SendingStateName;
  to: SendingStateName;
  at: number;
  reason: string;
  incidentId: string | null;
  resumedAt?: number | null;
  acknowledgedAt?: number | null;
  details: Record<string, unknown>;
};

/**
 * Moves the breaker only if it is still in `from` (two evaluations racing change it once) and records
 * the change in the history. Returns false when another caller moved it first.
 */
export async function changeReputationState(d: Db, c: StateChange): Promise<boolean> {
  await d.insert(reputationState).values({ storeId: c.storeId, state: 'open', changedAt: 0 }).onConflictDoNothing();
  const fields = {
    state: c.to,
    incidentId: c.incidentId,
    reason: c.reason,
    changedAt: c.at,
    ...(c.resumedAt !== undefined ? { resumedAt: c.resumedAt } : {}),
    ...(c.acknowledgedAt !== undefined ? { acknowledgedAt: c.acknowledgedAt } : {}),
  };
  const moved = await d
    .update(reputationState)
    .set(fields)
    .where(and(eq(reputationState.storeId, c.storeId), eq(reputationState.state, c.from)))
    .returning({ storeId: reputationState.storeId })
    .get();
  if (!moved) return false;
  await d.insert(reputationHistory).values({
    storeId: c.storeId,
    at: c.at,
    fromState: c.from,
    toState: c.to,
    reason: c.reason,
    incidentId: c.incidentId,
    details: c.details,
  });
  return true;
}

export async function listReputationHistory(d: Db, storeId: string, limit = 50): Promise<ReputationHistoryRow[]> {
  return d
    .select()
    .from(reputationHistory)
    .where(eq(reputationHistory.storeId, storeId))
    .orderBy(desc(reputationHistory.at), desc(reputationHistory.id))
    .limit(limit)
    .all();
}

/** Stores whose breaker is not `open`: the scheduled job looks at these for recovery and slow-start steps. */
export async function listStoresNotOpen(d: Db): Promise<ReputationStateRow[]> {
  return d.select().from(reputationState).where(ne(reputationState.state, 'open')).all();
}

/** Email messages to contacts claimed since `since` (queued, sending, sent or waiting in the outbox): the day's use of a slow-start allowance. */
export async function countEmailSendsSince(d: Db, storeId: string, since: number): Promise<number> {
  const row = await d
    .select({ count: sql<number>`count(*)` })
    .from(messages)
    .where(
      and(
        eq(messages.storeId, storeId),
        eq(messages.channel, 'email'),
        inArray(messages.status, ['queued', 'sending', 'sent', 'outbox']),
        ne(messages.contactId, STORE_ADMIN_RECIPIENT),
        gte(messages.createdAt, since),
      ),
    )
    .get();
  return row?.count ?? 0;
}

/**
 * The stores the scheduled breaker run looks at (the one cross-store read here, as a cron must):
 * each store with provider events or own unsubscribes in the window, plus every store not fully open.
 */
export async function listStoresToJudge(d: Db, since: number): Promise<string[]> {
  const rows = await d.all<{ store_id: string }>(sql`
    select store_id from ${providerEvents} where occurred_at >= ${since}
    union select store_id from ${consents} where source = 'unsubscribe' and occurred_at >= ${since}
    union select store_id from ${reputationState} where state != 'open'`);
  return rows.map((r) => r.store_id);
}
