import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { wcAuthRequests } from '../schema';

export async function recordWcAuthRequest(d: Db, storeId: string, valueHash: string, now: number, expiresAt: number): Promise<void> {
  await d.insert(wcAuthRequests).values({ valueHash, storeId, createdAt: now, expiresAt });
}

/** Uses the value up: true only for the first callback, for that store, before it expires. */
export async function consumeWcAuthRequest(d: Db, storeId: string, valueHash: string, now: number): Promise<boolean> {
  const row = await d
    .update(wcAuthRequests)
    .set({ usedAt: now })
    .where(and(eq(wcAuthRequests.valueHash, valueHash), eq(wcAuthRequests.storeId, storeId), isNull(wcAuthRequests.usedAt), gt(wcAuthRequests.expiresAt, now)))
    .returning({ storeId: wcAuthRequests.storeId })
    .get();
  return row !== undefined;
}
