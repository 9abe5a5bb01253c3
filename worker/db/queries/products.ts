import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { products } from '../schema';
import { excluded } from './orders';

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

/** What a newer version of a product (webhook or catalogue listing) overwrites. */
export function newerVersionColumns() {
  return {
    parentId: excluded(products.parentId),
    type: excluded(products.type),
    name: excluded(products.name),
    sku: excluded(products.sku),
    price: excluded(products.price),
    categories: excluded(products.categories),
    stockStatus: excluded(products.stockStatus),
    stockQuantity: excluded(products.stockQuantity),
    permalink: excluded(products.permalink),
    imageUrl: excluded(products.imageUrl),
    lifespanDays: excluded(products.lifespanDays),
    sourceModifiedAt: excluded(products.sourceModifiedAt),
    sourceCreatedAt: sql`coalesce(${excluded(products.sourceCreatedAt)}, ${products.sourceCreatedAt})`,
    updatedAt: excluded(products.updatedAt),
  };
}

/**
 * Stores this version of a product unless a newer one (by date_modified_gmt) is stored; an equal version is
 * rewritten with the same values. `deletedAt: null` (a restore) clears a deletion; undefined keeps it.
 * Returns false when the version was stale.
 */
export async function upsertProductVersion(d: Db, product: NewProduct): Promise<boolean> {
  const rows = await d
    .insert(products)
    .values(product)
    .onConflictDoUpdate({
      target: [products.storeId, products.id],
      set: {
        ...newerVersionColumns(),
        deletedAt: product.deletedAt === null ? null : products.deletedAt,
        // A webhook about the product proves it exists, whatever the last reconciliation concluded.
        missingAt: null,
      },
      setWhere: sql`${excluded(products.sourceModifiedAt)} >= ${products.sourceModifiedAt}`,
    })
    .returning({ id: products.id });
  return rows.length > 0;
}

/**
 * Marks one of our products deleted; returns false when the id is no product we hold. A REST trash of a coupon
 * also fires `product.deleted` with the coupon's id (WooCommerce checks the global post type, which REST leaves
 * unset), so an unknown id must not leave a tombstone behind. A repeat keeps the first deletion time.
 */
export async function markProductDeleted(d: Db, storeId: string, productId: number, at: number): Promise<boolean> {
  const rows = await d
    .update(products)
    .set({ deletedAt: sql`coalesce(${products.deletedAt}, ${at})`, updatedAt: at })
    .where(and(eq(products.storeId, storeId), eq(products.id, productId)))
    .returning({ id: products.id });
  return rows.length > 0;
}

export async function findProduct(d: Db, storeId: string, productId: number): Promise<Product | undefined> {
  return d
    .select()
    .from(products)
    .where(and(eq(products.storeId, storeId), eq(products.id, productId)))
    .get();
}
