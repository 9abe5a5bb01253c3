import { and, asc, desc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Fill } from '../../journeys/flow-nodes';
import type { Db } from '../client';
import { orderItems, products } from '../schema';
import type { ProductFacts } from './order-history';

export type ProductPick = {
  fill: Fill;
  /** Only products in one of these categories; empty: the whole catalogue. */
  categories: number[];
  /** Product ids never to pick (already bought, in the order, listed by the flow already). */
  exclude: number[];
  limit: number;
  /** Skip this many picks (a later email of the same journey); when too few are left, start over. */
  offset?: number;
};

/** Units sold of the product in the store's orders: the best-seller rank. */
const unitsSold = sql<number>`(select coalesce(sum(${orderItems.quantity}), 0) from ${orderItems} where ${orderItems.storeId} = ${products.storeId} and ${orderItems.productId} = ${products.id})`;

function inCategories(ids: number[]): SQL | undefined {
  if (ids.length === 0) return undefined;
  const list = sql.join(ids.slice(0, 50).map((id) => sql`${id}`), sql`, `);
  return sql`exists (select 1 from json_each(${products.categories}) where json_extract(json_each.value, '$.id') in (${list}))`;
}

const ORDER: Record<Fill, SQL[]> = {
  bestselling: [desc(unitsSold), desc(products.sourceModifiedAt)],
  newest: [desc(products.sourceModifiedAt)],
  lowest_price: [asc(products.price), desc(unitsSold)],
};

/** Shown anywhere: sold on its own, priced, with a page, not deleted, in stock or on back-order. */
export function showable(storeId: string): SQL {
  return and(
    eq(products.storeId, storeId),
    isNull(products.deletedAt),
    isNull(products.parentId),
    isNotNull(products.price),
    isNotNull(products.permalink),
    or(isNull(products.stockStatus), sql`${products.stockStatus} in ('instock', 'onbackorder')`),
  ) as SQL;
}

/**
 * Products a message can recommend: sold on their own (no variations), priced, with a page, not
 * deleted and in stock (or on back-order), in the requested order. Excluded ids are dropped after
 * the query so a long purchase history never meets D1's parameter limit.
 */
export async function pickProducts(d: Db, storeId: string, pick: ProductPick): Promise<ProductFacts[]> {
  if (pick.limit <= 0) return [];
  const rows = await d
    .select()
    .from(products)
    .where(and(showable(storeId), inCategories(pick.categories)))
    .orderBy(...ORDER[pick.fill], asc(products.id))
    .limit(pick.limit + (pick.offset ?? 0) + Math.min(pick.exclude.length, 200))
    .all();
  const excluded = new Set(pick.exclude);
  const eligible = rows.filter((p) => !excluded.has(p.id));
  const page = eligible.slice(pick.offset ?? 0, (pick.offset ?? 0) + pick.limit);
  return page.length > 0 ? page : eligible.slice(0, pick.limit);
}
