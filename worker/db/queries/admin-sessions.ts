import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { adminSessions } from '../schema';

/** Records a session at login; expired rows go at the same time, so the table stays the size of live sessions. */
export async function storeAdminSession(d: Db, idHash: string, now: number, expiresAt: number): Promise<void> {
  await d.batch([
    d.delete(adminSessions).where(lt(adminSessions.expiresAt, now)),
    d.insert(adminSessions).values({ idHash, createdAt: now, expiresAt }).onConflictDoNothing(),
  ]);
}

export async function adminSessionLive(d: Db, idHash: string, now: number): Promise<boolean> {
  const row = await d
    .select({ id: adminSessions.idHash })
    .from(adminSessions)
    .where(and(eq(adminSessions.idHash, idHash), gt(adminSessions.expiresAt, now)))
    .get();
  return row !== undefined;
}

export async function revokeAdminSession(d: Db, idHash: string): Promise<void> {
  await d.delete(adminSessions).where(eq(adminSessions.idHash, idHash));
}
