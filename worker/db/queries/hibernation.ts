import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { contactHibernation, stores } from '../schema';
import { NOT_ACTIVITY } from './send-history';

export async function listStoreIds(d: Db): Promise<string[]> {
  return (await d.select({ id: stores.id }).from(stores).all()).map((r) => r.id);
}

const quoted = NOT_ACTIVITY.map((t) => `'${t}'`).join(', ');

/**
 * Marks every contact of the store whose latest activity (or creation, with none) is before
 * `cutoff` as hibernated, keeping the first time it was marked; everyone else is awake. One
 * statement per store: activity is read where ingestion already wrote it (events, provider
 * opens/clicks, click redirects), so no ingestion path has to remember to report it.
 */
export async function markHibernation(d: Db, storeId: string, cutoff: number, now: number): Promise<void> {
  await d.run(sql`
    INSERT INTO contact_hibernation (store_id, contact_id, last_activity_at, hibernated_at, checked_at)
    SELECT store_id, id, last, CASE WHEN coalesce(last, created_at) < ${cutoff} THEN ${now} ELSE NULL END, ${now}
    FROM (
      SELECT c.store_id, c.id, c.created_at, nullif(max(
        coalesce((SELECT max(e.occurred_at) FROM events e
                  WHERE e.store_id = c.store_id AND e.contact_id = c.id AND e.type NOT IN (${sql.raw(quoted)})), 0),
        coalesce((SELECT max(p.occurred_at) FROM provider_events p
                  WHERE p.store_id = c.store_id AND p.contact_id = c.id AND p.kind IN ('open', 'click')), 0),
        coalesce((SELECT max(k.clicked_at) FROM message_clicks k
                  WHERE k.store_id = c.store_id AND k.contact_id = c.id), 0)
      ), 0) AS last
      FROM contacts c WHERE c.store_id = ${storeId}
    ) WHERE true
    ON CONFLICT (store_id, contact_id) DO UPDATE SET
      last_activity_at = excluded.last_activity_at,
      hibernated_at = CASE WHEN excluded.hibernated_at IS NULL THEN NULL
                           ELSE coalesce(contact_hibernation.hibernated_at, excluded.hibernated_at) END,
      checked_at = excluded.checked_at`);
}

/** Activity seen at send time wakes the contact in the dashboard count too, without waiting for the job. */
export async function wakeContact(d: Db, storeId: string, contactId: string): Promise<void> {
  await d
    .update(contactHibernation)
    .set({ hibernatedAt: null })
    .where(and(eq(contactHibernation.storeId, storeId), eq(contactHibernation.contactId, contactId), isNotNull(contactHibernation.hibernatedAt)));
}

export type HibernationStats = { hibernated: number; checked: number; lastCheckedAt: number | null };

export async function hibernationStats(d: Db, storeId: string): Promise<HibernationStats> {
  const row = await d
    .select({
      hibernated: sql<number>`count(${contactHibernation.hibernatedAt})`,
      checked: sql<number>`count(*)`,
      lastCheckedAt: sql<number | null>`max(${contactHibernation.checkedAt})`,
    })
    .from(contactHibernation)
    .where(eq(contactHibernation.storeId, storeId))
    .get();
  return { hibernated: row?.hibernated ?? 0, checked: row?.checked ?? 0, lastCheckedAt: row?.lastCheckedAt ?? null };
}

export async function findHibernation(d: Db, storeId: string, contactId: string) {
  return d
    .select()
    .from(contactHibernation)
    .where(and(eq(contactHibernation.storeId, storeId), eq(contactHibernation.contactId, contactId)))
    .get();
}
