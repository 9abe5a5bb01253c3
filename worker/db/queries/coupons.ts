import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { coupons } from '../schema';
import { excluded } from './orders';

export type Coupon = typeof coupons.$inferSelect;
export type NewCoupon = typeof coupons.$inferInsert;

/** Stores this version of a coupon unless a newer one is stored. Returns false when the version was stale. */
export async function upsertCouponVersion(d: Db, coupon: NewCoupon): Promise<boolean> {
  const rows = await d
    .insert(coupons)
    .values(coupon)
    .onConflictDoUpdate({
      target: [coupons.storeId, coupons.id],
      set: {
        code: excluded(coupons.code),
        discountType: excluded(coupons.discountType),
        amount: excluded(coupons.amount),
        expiresAt: excluded(coupons.expiresAt),
        usageCount: excluded(coupons.usageCount),
        deletedAt: coupon.deletedAt === null ? null : coupons.deletedAt,
        sourceModifiedAt: excluded(coupons.sourceModifiedAt),
        updatedAt: excluded(coupons.updatedAt),
      },
      setWhere: sql`${excluded(coupons.sourceModifiedAt)} >= ${coupons.sourceModifiedAt}`,
    })
    .returning({ id: coupons.id });
  return rows.length > 0;
}

/** Marks one of our coupons deleted; false when the id is no coupon we hold (see `markProductDeleted`). */
export async function markCouponDeleted(d: Db, storeId: string, couponId: number, at: number): Promise<boolean> {
  const rows = await d
    .update(coupons)
    .set({ deletedAt: sql`coalesce(${coupons.deletedAt}, ${at})`, updatedAt: at })
    .where(and(eq(coupons.storeId, storeId), eq(coupons.id, couponId)))
    .returning({ id: coupons.id });
  return rows.length > 0;
}

export async function findCouponByCode(d: Db, storeId: string, code: string): Promise<Coupon | undefined> {
  return d
    .select()
    .from(coupons)
    .where(and(eq(coupons.storeId, storeId), eq(coupons.code, code.toLowerCase()), isNull(coupons.deletedAt)))
    .get();
}
