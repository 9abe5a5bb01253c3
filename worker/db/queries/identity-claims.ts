import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { identityClaims } from '../schema';

export type IdentityClaim = typeof identityClaims.$inferSelect;

/** Keeps the first claim of a visitor on a contact; a repeat changes nothing. */
export async function recordIdentityClaim(d: Db, claim: Omit<IdentityClaim, 'provenAt' | 'proof'>): Promise<void> {
  await d.insert(identityClaims).values(claim).onConflictDoNothing();
}

export async function findIdentityClaim(d: Db, storeId: string, visitorId: string, contactId: string): Promise<IdentityClaim | undefined> {
  return d
    .select()
    .from(identityClaims)
    .where(and(eq(identityClaims.storeId, storeId), eq(identityClaims.visitorId, visitorId), eq(identityClaims.contactId, contactId)))
    .get();
}

/** Marks the visitor's pending claim on the contact proven; returns false when there was none pending. */
export async function markClaimProven(d: Db, storeId: string, visitorId: string, contactId: string, proof: string, now: number): Promise<boolean> {
  const rows = await d
    .update(identityClaims)
    .set({ provenAt: now, proof })
    .where(
      and(
        eq(identityClaims.storeId, storeId),
        eq(identityClaims.visitorId, visitorId),
        eq(identityClaims.contactId, contactId),
        isNull(identityClaims.provenAt),
      ),
    )
    .returning({ visitorId: identityClaims.visitorId });
  return rows.length > 0;
}
