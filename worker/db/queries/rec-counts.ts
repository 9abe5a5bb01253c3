import { sql, type SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';

const dialect = new SQLiteAsyncDialect();

/** One D1 transaction of raw statements (drizzle cannot batch raw SQL with parameters). */
export async function rawBatch(d: Db, statements: SQL[]): Promise<void> {
  const client = (d as Db & { $client: D1Database }).$client;
  await client.batch(
    statements.map((s) => {
      const query = dialect.sqlToQuery(s);
      return client.prepare(query.sql).bind(...query.params);
    }),
  );
}

const DAY = 86_400_000;
/** A basket counts at most this many distinct products: one bulk order must not write thousands of pairs. */
export const MAX_BASKET = 40;

/** Orders that count as purchases for recommendations: paid, and neither cancelled, refunded, failed nor deleted. */
const STANDING = sql.raw(`o.paid_at IS NOT NULL AND o.cancelled_at IS NULL AND o.deleted_at IS NULL
  AND o.status NOT IN ('cancelled', 'refunded', 'failed', 'trash')`);

/**
 * Each standing order paid since `since` with its basket: distinct product ids (ascending, at most
 * MAX_BASKET) as a JSON array. The one definition both the incremental update and the rebuild count.
 */
function baskets(storeId: string, since: number, orderId?: number): SQL {
  const one = orderId === undefined ? sql`` : sql` AND o.id = ${orderId}`;
  return sql`SELECT o.id AS orderId, (SELECT json_group_array(product_id) FROM (SELECT DISTINCT i.product_id
      FROM order_items i WHERE i.store_id = o.store_id AND i.order_id = o.id ORDER BY i.product_id LIMIT ${MAX_BASKET})) AS products
    FROM orders o WHERE o.store_id = ${storeId} AND ${STANDING} AND coalesce(o.paid_at, o.created_at) >= ${since}${one}`;
}

export type CountWindow = { now: number; windowDays: number };
const sinceOf = (w: CountWindow) => w.now - w.windowDays * DAY;

function normalize(json: string | undefined): string {
  if (!json) return '[]';
  const ids = (JSON.parse(json) as number[]).filter((n) => Number.isInteger(n));
  return JSON.stringify([...new Set(ids)].sort((a, b) => a - b));
}

/**
 * Brings the co-purchase counts up to date with one order's current state: what it counted before
 * (the ledger) is taken away and its basket now is added, so a replay changes nothing and a
 * cancellation or refund reverses the order. The count updates of the batch only apply when its
 * ledger write won (its token is the row's), so two deliveries of one order never both count.
 * Returns whether anything changed.
 */
export async function countOrder(d: Db, storeId: string, orderId: number, w: CountWindow): Promise<boolean> {
  const current = await d.get<{ products: string }>(baskets(storeId, sinceOf(w), orderId));
  const before = await d.get<{ products: string }>(
    sql`SELECT products FROM rec_baskets WHERE store_id = ${storeId} AND order_id = ${orderId}`,
  );
  const next = normalize(current?.products);
  const old = before?.products ?? '[]';
  if (next === normalize(old)) return false;
  const token = crypto.randomUUID();
  const won = sql`EXISTS (SELECT 1 FROM rec_baskets WHERE store_id = ${storeId} AND order_id = ${orderId} AND token = ${token})`;
  const inOld = (column: string) => sql`${sql.raw(column)} IN (SELECT value FROM json_each(${old}))`;
  await rawBatch(d, [
    sql`INSERT INTO rec_baskets (store_id, order_id, products, token, counted_at) VALUES (${storeId}, ${orderId}, ${next}, ${token}, ${w.now})
      ON CONFLICT (store_id, order_id) DO UPDATE SET products = excluded.products, token = excluded.token, counted_at = excluded.counted_at
      WHERE rec_baskets.products = ${old}`,
    sql`UPDATE rec_pair_counts SET orders = orders - 1 WHERE store_id = ${storeId} AND ${inOld('product_id')}
      AND ${inOld('other_id')} AND product_id != other_id AND ${won}`,
    sql`UPDATE rec_item_counts SET orders = orders - 1 WHERE store_id = ${storeId} AND ${inOld('product_id')} AND ${won}`,
    sql`INSERT INTO rec_pair_counts (store_id, product_id, other_id, orders)
      SELECT ${storeId}, a.value, b.value, 1 FROM json_each(${next}) a, json_each(${next}) b WHERE a.value != b.value AND ${won}
      ON CONFLICT (store_id, product_id, other_id) DO UPDATE SET orders = orders + 1`,
    sql`INSERT INTO rec_item_counts (store_id, product_id, orders)
      SELECT ${storeId}, value, 1 FROM json_each(${next}) WHERE ${won}
      ON CONFLICT (store_id, product_id) DO UPDATE SET orders = orders + 1`,
    sql`DELETE FROM rec_pair_counts WHERE store_id = ${storeId} AND orders <= 0 AND ${inOld('product_id')}`,
    sql`DELETE FROM rec_item_counts WHERE store_id = ${storeId} AND orders <= 0 AND ${inOld('product_id')}`,
    sql`DELETE FROM rec_baskets WHERE store_id = ${storeId} AND order_id = ${orderId} AND products = '[]'`,
  ]);
  return true;
}

/** Counts the store's co-purchases again from its orders (nightly): orders that left the window drop out. */
export async function rebuildCounts(d: Db, storeId: string, w: CountWindow): Promise<void> {
  await rawBatch(d, [
    sql`DELETE FROM rec_baskets WHERE store_id = ${storeId}`,
    sql`DELETE FROM rec_item_counts WHERE store_id = ${storeId}`,
    sql`DELETE FROM rec_pair_counts WHERE store_id = ${storeId}`,
    sql`INSERT INTO rec_baskets (store_id, order_id, products, token, counted_at)
      SELECT ${storeId}, orderId, products, 'rebuild', ${w.now} FROM (${baskets(storeId, sinceOf(w))}) WHERE products != '[]'`,
    sql`INSERT INTO rec_item_counts (store_id, product_id, orders)
      SELECT ${storeId}, j.value, count(*) FROM rec_baskets b, json_each(b.products) j WHERE b.store_id = ${storeId} GROUP BY j.value`,
    sql`INSERT INTO rec_pair_counts (store_id, product_id, other_id, orders)
      SELECT ${storeId}, a.value, c.value, count(*) FROM rec_baskets b, json_each(b.products) a, json_each(b.products) c
      WHERE b.store_id = ${storeId} AND a.value != c.value GROUP BY a.value, c.value`,
  ]);
}

export type PairRow = { seedId: number; otherId: number; pair: number; seed: number; other: number };

/** Products bought with any of the seeds in at least `minSupport` counted orders, with both items' supports. */
export async function pairsOf(d: Db, storeId: string, seeds: number[], minSupport: number): Promise<PairRow[]> {
  if (seeds.length === 0) return [];
  return d.all<PairRow>(sql`SELECT p.product_id AS seedId, p.other_id AS otherId, p.orders AS pair, a.orders AS seed, b.orders AS other
    FROM rec_pair_counts p
    JOIN rec_item_counts a ON a.store_id = p.store_id AND a.product_id = p.product_id
    JOIN rec_item_counts b ON b.store_id = p.store_id AND b.product_id = p.other_id
    WHERE p.store_id = ${storeId} AND p.product_id IN (SELECT value FROM json_each(${JSON.stringify(seeds.slice(0, 200))}))
      AND p.orders >= ${minSupport}
    ORDER BY p.orders DESC, p.other_id LIMIT 1000`);
}

/** The store's counts, for comparing an incremental history with a rebuild. */
export async function countsSnapshot(d: Db, storeId: string): Promise<{ items: string; pairs: string }> {
  const items = await d.all(sql`SELECT product_id, orders FROM rec_item_counts WHERE store_id = ${storeId} ORDER BY product_id`);
  const pairs = await d.all(
    sql`SELECT product_id, other_id, orders FROM rec_pair_counts WHERE store_id = ${storeId} ORDER BY product_id, other_id`,
  );
  return { items: JSON.stringify(items), pairs: JSON.stringify(pairs) };
}
