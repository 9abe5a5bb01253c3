import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { IDS_PER_STATEMENT, runSqlBatch } from './batching';
import { productIntervals, storePredictions } from '../schema';

/** A standing paid order (alias o): paid, not cancelled, deleted or refunded in full. */
const STANDING = sql.raw(`o.paid_at IS NOT NULL AND o.cancelled_at IS NULL AND o.deleted_at IS NULL AND o.status != 'refunded'`);
/** Rows per statement: each chunk travels as ONE JSON parameter read back with json_each. */
const CHUNK = 2000;

export type BuyerOrdersRow = { contactId: string; days: string; products: string | null };
export type ProductPurchaseRow = { contactId: string; productId: number; at: number };
export type PredictionRow = { contactId: string; nextOrderAt: number; pAlive: number | null; expectedOrders90d: number | null; method: string };
export type StorePredictions = typeof storePredictions.$inferSelect;

/** Each buyer's distinct purchase days (UTC days since the epoch) of standing orders up to `now` and the distinct products they bought, as JSON arrays (one grouped scan each). */
export async function buyerOrders(d: Db, storeId: string, now: number): Promise<BuyerOrdersRow[]> {
  const asOf = sql` AND o.created_at <= ${now}`;
  return d.all<BuyerOrdersRow>(sql`
    SELECT t.contact_id AS contactId, t.days AS days, p.products AS products FROM
      (SELECT o.contact_id, json_group_array(DISTINCT o.created_at / 86400000) AS days FROM orders o
        WHERE o.store_id = ${storeId} AND o.contact_id IS NOT NULL AND ${STANDING}${asOf} GROUP BY o.contact_id) t
    LEFT JOIN
      (SELECT o.contact_id, json_group_array(DISTINCT i.product_id) AS products FROM orders o
        JOIN order_items i ON i.store_id = o.store_id AND i.order_id = o.id
        WHERE o.store_id = ${storeId} AND o.contact_id IS NOT NULL AND ${STANDING}${asOf} GROUP BY o.contact_id) p
    ON p.contact_id = t.contact_id`);
}

/** Every (buyer, product, time) of standing orders: what product re-buy intervals are learnt from. */
export async function productPurchases(d: Db, storeId: string, now: number): Promise<ProductPurchaseRow[]> {
  return d.all<ProductPurchaseRow>(sql`
    SELECT o.contact_id AS contactId, i.product_id AS productId, o.created_at AS at FROM orders o
    JOIN order_items i ON i.store_id = o.store_id AND i.order_id = o.id
    WHERE o.store_id = ${storeId} AND o.contact_id IS NOT NULL AND ${STANDING} AND o.created_at <= ${now}`);
}

/** Stores every buyer's prediction, and clears those of contacts who no longer have a standing order. */
export async function writePredictions(d: Db, storeId: string, rows: PredictionRow[], now: number): Promise<void> {
  const writes: SQL[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK).map((r) => [r.contactId, r.nextOrderAt, r.pAlive, r.expectedOrders90d, r.method]));
    writes.push(sql`
      INSERT INTO contact_scores (store_id, contact_id, next_order_at, p_alive, expected_orders_90d, prediction_method, computed_at)
      SELECT ${storeId}, json_extract(v.value, '$[0]'), json_extract(v.value, '$[1]'), json_extract(v.value, '$[2]'), json_extract(v.value, '$[3]'), json_extract(v.value, '$[4]'), ${now}
      FROM json_each(${json}) v WHERE true
      ON CONFLICT (store_id, contact_id) DO UPDATE SET next_order_at = excluded.next_order_at, p_alive = excluded.p_alive,
        expected_orders_90d = excluded.expected_orders_90d, prediction_method = excluded.prediction_method`);
  }
  writes.push(sql`
    UPDATE contact_scores SET next_order_at = NULL, p_alive = NULL, expected_orders_90d = NULL, prediction_method = NULL
    WHERE store_id = ${storeId} AND prediction_method IS NOT NULL AND contact_id NOT IN (
      SELECT o.contact_id FROM orders o WHERE o.store_id = ${storeId} AND o.contact_id IS NOT NULL AND ${STANDING})`);
  await runSqlBatch(d, writes);
}

/** Replaces the store's learned product intervals. */
export async function writeProductIntervals(d: Db, storeId: string, rows: { productId: number; gap: number; support: number }[], now: number): Promise<void> {
  const writes: SQL[] = [sql`DELETE FROM product_intervals WHERE store_id = ${storeId}`];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK).map((r) => [r.productId, r.gap, r.support]));
    writes.push(sql`
      INSERT INTO product_intervals (store_id, product_id, median_gap_days, support, computed_at)
      SELECT ${storeId}, json_extract(v.value, '$[0]'), json_extract(v.value, '$[1]'), json_extract(v.value, '$[2]'), ${now} FROM json_each(${json}) v`);
  }
  await runSqlBatch(d, writes);
}

/** The learned re-buy intervals (whole days) of these products, for those with enough support. */
export async function learnedIntervals(d: Db, storeId: string, productIds: number[]): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await d
    .select({ productId: productIntervals.productId, gap: productIntervals.medianGapDays })
    .from(productIntervals)
    .where(and(eq(productIntervals.storeId, storeId), inArray(productIntervals.productId, [...new Set(productIds)].slice(0, IDS_PER_STATEMENT))))
    .all();
  return new Map(rows.map((r) => [r.productId, Math.round(r.gap)]));
}

export async function findStorePredictions(d: Db, storeId: string): Promise<StorePredictions | undefined> {
  return d.select().from(storePredictions).where(eq(storePredictions.storeId, storeId)).get();
}

export async function saveStorePredictions(d: Db, storeId: string, set: Omit<StorePredictions, 'storeId'>): Promise<void> {
  await d.insert(storePredictions).values({ storeId, ...set }).onConflictDoUpdate({ target: storePredictions.storeId, set });
}

export type EngagementHourRow = { contactId: string; at: number; zone: string | null };

/** Human opens and clicks since `since` with the contact's time zone: our pixel/click events and the provider's. */
export async function engagementSince(d: Db, storeId: string, since: number): Promise<EngagementHourRow[]> {
  return d.all<EngagementHourRow>(sql`
    SELECT x.contact_id AS contactId, x.at AS at, coalesce(c.timezone, c.geo_timezone) AS zone FROM (
      SELECT e.contact_id, e.occurred_at AS at FROM events e
        WHERE e.store_id = ${storeId} AND e.contact_id IS NOT NULL AND e.type IN ('message.opened', 'message.clicked') AND e.occurred_at >= ${since}
      UNION ALL
      SELECT p.contact_id, p.occurred_at FROM provider_events p
        WHERE p.store_id = ${storeId} AND p.contact_id IS NOT NULL AND p.kind IN ('open', 'click') AND p.occurred_at >= ${since}) x
    JOIN contacts c ON c.store_id = ${storeId} AND c.id = x.contact_id`);
}

/** Stores each contact's best send hour (local), clearing the others' (their history aged out: the store hour applies). */
export async function writeBestHours(d: Db, storeId: string, rows: [string, number][], now: number): Promise<void> {
  const writes: SQL[] = [sql`UPDATE contact_scores SET best_send_hour = NULL WHERE store_id = ${storeId} AND best_send_hour IS NOT NULL`];
  for (let i = 0; i < rows.length; i += CHUNK) {
    writes.push(sql`
      INSERT INTO contact_scores (store_id, contact_id, best_send_hour, computed_at)
      SELECT ${storeId}, json_extract(v.value, '$[0]'), json_extract(v.value, '$[1]'), ${now} FROM json_each(${JSON.stringify(rows.slice(i, i + CHUNK))}) v WHERE true
      ON CONFLICT (store_id, contact_id) DO UPDATE SET best_send_hour = excluded.best_send_hour`);
  }
  await runSqlBatch(d, writes);
}
