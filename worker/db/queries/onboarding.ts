import { and, desc, eq, gte, sql, sum } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { events, storeSettings, webhookRejections } from '../schema';

const DAY_MS = 86_400_000;

/** The UTC day a rejection is counted under. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** One more refused delivery for a known store: one row per store and day, so forged floods stay bounded. */
export async function recordWebhookRejection(d: Db, storeId: string, at: number): Promise<void> {
  await d
    .insert(webhookRejections)
    .values({ storeId, day: utcDay(at), count: 1, lastAt: at })
    .onConflictDoUpdate({
      target: [webhookRejections.storeId, webhookRejections.day],
      set: { count: sql`${webhookRejections.count} + 1`, lastAt: sql`max(${webhookRejections.lastAt}, excluded.last_at)` },
    });
}

export type WebhookRejections = { count: number; lastAt: number | null };

/** Refused deliveries over the last `days` UTC days, today included. */
export async function webhookRejectionsSince(d: Db, storeId: string, now: number, days = 7): Promise<WebhookRejections> {
  const row = await d
    .select({ count: sum(webhookRejections.count), lastAt: sql<number | null>`max(${webhookRejections.lastAt})` })
    .from(webhookRejections)
    .where(and(eq(webhookRejections.storeId, storeId), gte(webhookRejections.day, utcDay(now - (days - 1) * DAY_MS))))
    .get();
  return { count: Number(row?.count ?? 0), lastAt: row?.lastAt ?? null };
}

export type SenderReadiness = { fromEmail: boolean; postalAddress: boolean };

const filled = (value: string | null | undefined) => typeof value === 'string' && value.trim().length > 0;

/** The columns promotional email needs (batched with the guardrails by the send gate). */
/** Prepared once per isolate (db/prepared.ts); takes `storeId`. */
export const senderReadinessQuery = prepared((d) =>
  d
    .select({ fromEmail: storeSettings.fromEmail, postalAddress: storeSettings.postalAddress })
    .from(storeSettings)
    .where(eq(storeSettings.storeId, sql.placeholder('storeId')))
    .limit(1)
    .prepare(),
);

export function senderReadinessOf(row: { fromEmail: string | null; postalAddress: string | null } | undefined): SenderReadiness {
  return { fromEmail: filled(row?.fromEmail), postalAddress: filled(row?.postalAddress) };
}

/** Whether promotional email may go out: a sender address and the postal address its footer prints. */
export async function senderReadiness(d: Db, storeId: string): Promise<SenderReadiness> {
  return senderReadinessOf((await senderReadinessQuery(d).all({ storeId }))[0]);
}

/** When the storefront tracker last reported anything from a browser, if at or after `since`. */
export async function lastBrowserEventAt(d: Db, storeId: string, since: number): Promise<number | null> {
  const row = await d
    .select({ at: events.receivedAt })
    .from(events)
    .where(and(eq(events.storeId, storeId), eq(events.source, 'browser'), gte(events.receivedAt, since)))
    .orderBy(desc(events.receivedAt))
    .limit(1)
    .get();
  return row?.at ?? null;
}
