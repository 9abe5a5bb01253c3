import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { issuedCoupons, type IssuedCouponStatus } from '../schema';

export type IssuedCoupon = typeof issuedCoupons.$inferSelect;
export type NewIssuedCoupon = Omit<IssuedCoupon, 'status' | 'wooCouponId' | 'error' | 'updatedAt'>;

/** Reserves the code under the idempotency key before WooCommerce is asked; a retry gets the same row. */
export async function reserveIssuedCoupon(d: Db, row: NewIssuedCoupon): Promise<IssuedCoupon> {
  const inserted = await d
    .insert(issuedCoupons)
    .values({ ...row, status: 'pending', updatedAt: row.createdAt })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) return inserted;
  const existing = await findCouponRecord(d, row.storeId, row.idempotencyKey);
  if (!existing) throw new Error(`coupon ${row.idempotencyKey} vanished while reserving`);
  return existing;
}

export async function setIssuedCouponStatus(
  d: Db,
  storeId: string,
  idempotencyKey: string,
  status: IssuedCouponStatus,
  now: number,
  extra: { wooCouponId?: number | null; error?: string | null } = {},
): Promise<void> {
  await d
    .update(issuedCoupons)
    .set({ status, updatedAt: now, error: extra.error ?? null, ...(extra.wooCouponId !== undefined ? { wooCouponId: extra.wooCouponId } : {}) })
    .where(and(eq(issuedCoupons.storeId, storeId), eq(issuedCoupons.idempotencyKey, idempotencyKey)));
}

/** Whatever was recorded under the key, whether or not WooCommerce has the coupon. */
export async function findCouponRecord(d: Db, storeId: string, idempotencyKey: string): Promise<IssuedCoupon | undefined> {
  return d
    .select()
    .from(issuedCoupons)
    .where(and(eq(issuedCoupons.storeId, storeId), eq(issuedCoupons.idempotencyKey, idempotencyKey)))
    .get();
}

/** For the email renderer: the coupon only once WooCommerce has it, so no email promises a dead code. */
export async function findIssuedCoupon(d: Db, storeId: string, idempotencyKey: string): Promise<IssuedCoupon | undefined> {
  const row = await findCouponRecord(d, storeId, idempotencyKey);
  return row?.status === 'issued' ? row : undefined;
}

/** The idempotency keys of the store's coupons among these codes (WooCommerce lowercases codes; ours are upper case). */
export async function couponKeysOfCodes(d: Db, storeId: string, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const rows = await d
    .select({ key: issuedCoupons.idempotencyKey })
    .from(issuedCoupons)
    .where(and(eq(issuedCoupons.storeId, storeId), inArray(issuedCoupons.code, codes.map((c) => c.toUpperCase()))))
    .all();
  return rows.map((r) => r.key);
}
