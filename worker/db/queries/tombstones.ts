import { and, eq, inArray, sql } from 'drizzle-orm';
import { sha256Hex } from '../../lib/hmac';
import type { Db } from '../client';
import { erasureSuppressions } from '../schema';
import { suppressionHash } from './contacts';

/**
 * Hashed tombstones of an erasure (in `erasure_suppressions`, beside the address hashes): the person's WooCommerce
 * order and customer ids, and their email and phone, each with the time of the latest erasure. They keep erased data
 * erased: a webhook about any of them dated before that time is refused, while a new order placed afterwards (the
 * person came back) is not. Only hashes are kept, salted with the store id.
 */
export type TombstoneRef = { kind: 'email' | 'phone'; value: string } | { kind: 'order' | 'customer'; value: number };
export type Tombstone = { kind: TombstoneRef['kind']; hash: string };

export async function tombstoneHash(storeId: string, ref: TombstoneRef): Promise<string> {
  if (ref.kind === 'email' || ref.kind === 'phone') return suppressionHash(storeId, ref.kind, ref.value);
  return sha256Hex(`${storeId}\n${ref.kind}\n${ref.value}`);
}

export async function tombstones(storeId: string, refs: TombstoneRef[]): Promise<Tombstone[]> {
  return Promise.all(refs.map(async (r) => ({ kind: r.kind, hash: await tombstoneHash(storeId, r) })));
}

/** The write of one tombstone inside the erasure batch; erasing again moves its time forward. */
export function writeTombstone(d: Db, storeId: string, t: Tombstone, now: number) {
  return d
    .insert(erasureSuppressions)
    .values({ storeId, hash: t.hash, kind: t.kind, createdAt: now })
    .onConflictDoUpdate({
      target: [erasureSuppressions.storeId, erasureSuppressions.hash],
      set: { createdAt: sql`max(${erasureSuppressions.createdAt}, excluded.created_at)` },
    });
}

/** When the latest erasure touching any of these refs happened, or null if none did. */
export async function latestErasure(d: Db, storeId: string, refs: TombstoneRef[]): Promise<number | null> {
  if (refs.length === 0) return null;
  const hashes = (await tombstones(storeId, refs)).map((t) => t.hash);
  const row = await d
    .select({ at: sql<number | null>`max(${erasureSuppressions.createdAt})` })
    .from(erasureSuppressions)
    .where(and(eq(erasureSuppressions.storeId, storeId), inArray(erasureSuppressions.hash, hashes)))
    .get();
  return row?.at ?? null;
}
