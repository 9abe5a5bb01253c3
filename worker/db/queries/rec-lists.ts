import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { contactProperties, preferenceAnswers, products, recTopLists } from '../schema';
import type { ProductFacts } from './order-history';
import { showable } from './product-picks';
import { rawBatch } from './rec-counts';

const DAY = 86_400_000;
/** Each stored list keeps this many products: enough to skip what a shopper already has. */
export const LIST_SIZE = 60;

/** The showable products among `ids`, in the order of `ids` (a ranking stays a ranking). */
export async function showableProducts(d: Db, storeId: string, ids: number[]): Promise<ProductFacts[]> {
  const wanted = [...new Set(ids)].slice(0, 90);
  if (wanted.length === 0) return [];
  const rows = await d.select().from(products).where(and(showable(storeId), inArray(products.id, wanted))).all();
  const byId = new Map(rows.map((p) => [p.id, p]));
  return wanted.flatMap((id) => byId.get(id) ?? []);
}

/** Newest showable products by WooCommerce's creation date (ids grow with creation when a date is missing). */
export async function newArrivals(d: Db, storeId: string, category: number | undefined, limit: number): Promise<ProductFacts[]> {
  const inCategory =
    category === undefined
      ? undefined
      : sql`exists (select 1 from json_each(${products.categories}) where json_extract(json_each.value, '$.id') = ${category})`;
  return d
    .select()
    .from(products)
    .where(and(showable(storeId), inCategory))
    .orderBy(desc(sql`coalesce(${products.sourceCreatedAt}, 0)`), desc(products.id))
    .limit(limit)
    .all();
}

export const categoryList = (categoryId: number) => `category:${categoryId}`;
export const affinityList = (categoryId: number) => `affinity:${categoryId}`;
/** A marker row (rank 0, no product) whose built_at says when the store was last rebuilt, lists empty or not. */
const REBUILT = '_rebuilt';

/** The product ids of a stored list, best first. */
export async function topList(d: Db, storeId: string, list: string, limit = LIST_SIZE): Promise<number[]> {
  const rows = await d
    .select({ id: recTopLists.productId })
    .from(recTopLists)
    .where(and(eq(recTopLists.storeId, storeId), eq(recTopLists.list, list)))
    .orderBy(asc(recTopLists.rank))
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

/** Units of standing paid orders per product since `since`. */
function unitsSince(storeId: string, since: number): SQL {
  return sql`SELECT i.product_id AS productId, sum(i.quantity) AS units FROM order_items i
    JOIN orders o ON o.store_id = i.store_id AND o.id = i.order_id
    WHERE i.store_id = ${storeId} AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL AND o.deleted_at IS NULL
      AND o.status NOT IN ('cancelled', 'refunded', 'failed', 'trash') AND coalesce(o.paid_at, o.created_at) >= ${since}
    GROUP BY i.product_id`;
}

/** Per-category lists named `<prefix><category id>`, ranked by the given units. */
function categoryLists(storeId: string, prefix: string, units: SQL, now: number): SQL {
  return sql`INSERT INTO rec_top_lists (store_id, list, rank, product_id, score, built_at)
    SELECT ${storeId}, ${prefix} || categoryId, rank, productId, units, ${now} FROM (
      SELECT u.productId, u.units, json_extract(c.value, '$.id') AS categoryId,
        row_number() OVER (PARTITION BY json_extract(c.value, '$.id') ORDER BY u.units DESC, u.productId) AS rank
      FROM (${units}) u JOIN products p ON p.store_id = ${storeId} AND p.id = u.productId, json_each(p.categories) c)
    WHERE rank <= ${LIST_SIZE}`;
}

/**
 * Rebuilds the store's lists: bestsellers of the trailing `days` for the whole store and each
 * category, and each category's bestsellers of the trailing year (`affinity:<id>`, what the personal
 * blend offers from the categories a contact buys from: a month of one category is often empty).
 */
export async function rebuildTopLists(d: Db, storeId: string, now: number, days = 30): Promise<void> {
  const units = unitsSince(storeId, now - days * DAY);
  await rawBatch(d, [
    sql`DELETE FROM rec_top_lists WHERE store_id = ${storeId}`,
    sql`INSERT INTO rec_top_lists (store_id, list, rank, product_id, score, built_at)
      SELECT ${storeId}, 'bestsellers', rank, productId, units, ${now} FROM (
        SELECT productId, units, row_number() OVER (ORDER BY units DESC, productId) AS rank FROM (${units}))
      WHERE rank <= ${LIST_SIZE}`,
    categoryLists(storeId, 'category:', units, now),
    categoryLists(storeId, 'affinity:', unitsSince(storeId, now - 365 * DAY), now),
    sql`INSERT INTO rec_top_lists (store_id, list, rank, product_id, score, built_at) VALUES (${storeId}, ${REBUILT}, 0, 0, 0, ${now})`,
  ]);
}

/** Products the visitor's devices or the contact viewed, most recent first. */
export async function recentlyViewed(d: Db, storeId: string, who: { visitorId?: string; contactId?: string }, limit: number): Promise<number[]> {
  const visitor = who.visitorId ? sql`visitor_id = ${who.visitorId}` : sql`0`;
  const contact = who.contactId ? sql`contact_id = ${who.contactId}` : sql`0`;
  const rows = await d.all<{ id: number }>(sql`SELECT json_extract(properties, '$.productId') AS id FROM events
    WHERE store_id = ${storeId} AND type = 'product_view' AND (${visitor} OR ${contact}) AND json_extract(properties, '$.productId') IS NOT NULL
    GROUP BY 1 ORDER BY max(occurred_at) DESC LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

/** The contact's zero-party answers and properties named `interest` (a choice key or a category slug). */
export async function interestsOf(d: Db, storeId: string, contactId: string): Promise<string[]> {
  const answers = await d
    .select({ value: preferenceAnswers.value })
    .from(preferenceAnswers)
    .where(and(eq(preferenceAnswers.storeId, storeId), eq(preferenceAnswers.contactId, contactId), eq(preferenceAnswers.key, 'interest')))
    .all();
  const property = await d
    .select({ value: contactProperties.value })
    .from(contactProperties)
    .where(and(eq(contactProperties.storeId, storeId), eq(contactProperties.contactId, contactId), eq(contactProperties.key, 'interest')))
    .get();
  const values = [...answers.map((a) => a.value), property?.value];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

/** Category ids whose slug or id is one of `keys`. */
export async function categoriesNamed(d: Db, storeId: string, keys: string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await d.all<{ id: number }>(sql`SELECT DISTINCT json_extract(c.value, '$.id') AS id FROM products p, json_each(p.categories) c
    WHERE p.store_id = ${storeId} AND (json_extract(c.value, '$.slug') IN (SELECT value FROM json_each(${JSON.stringify(keys)}))
      OR CAST(json_extract(c.value, '$.id') AS TEXT) IN (SELECT value FROM json_each(${JSON.stringify(keys)})))`);
  return rows.map((r) => r.id);
}

/**
 * The categories of `ids`, by the share of the category's catalogue the shopper bought from: a
 * specific category they keep buying from ranks above the broad one every product sits in.
 */
export async function categoryAffinity(d: Db, storeId: string, ids: number[]): Promise<{ id: number; n: number }[]> {
  if (ids.length === 0) return [];
  return d.all<{ id: number; n: number }>(sql`WITH mine AS (
      SELECT json_extract(c.value, '$.id') AS id, count(*) AS n FROM products p, json_each(p.categories) c
      WHERE p.store_id = ${storeId} AND p.id IN (SELECT value FROM json_each(${JSON.stringify(ids.slice(0, 500))})) GROUP BY 1),
    sizes AS (SELECT json_extract(c.value, '$.id') AS id, count(*) AS size FROM products p, json_each(p.categories) c
      WHERE p.store_id = ${storeId} AND json_extract(c.value, '$.id') IN (SELECT id FROM mine) GROUP BY 1)
    SELECT mine.id AS id, mine.n AS n FROM mine JOIN sizes ON sizes.id = mine.id
    ORDER BY mine.n * 1.0 / sizes.size DESC, mine.id LIMIT 5`);
}

/** Stores with orders whose lists were last rebuilt before `before` (or never): the nightly rebuild's work. */
export async function storesDueForRebuild(d: Db, before: number, limit: number): Promise<string[]> {
  const rows = await d.all<{ id: string }>(sql`SELECT s.id AS id FROM stores s
    WHERE EXISTS (SELECT 1 FROM orders o WHERE o.store_id = s.id)
      AND coalesce((SELECT built_at FROM rec_top_lists t WHERE t.store_id = s.id AND t.list = ${REBUILT} AND t.rank = 0), 0) < ${before}
    ORDER BY s.id LIMIT ${limit}`);
  return rows.map((r) => r.id);
}
