import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { storeSettings } from '../schema';

export type StoreSettings = typeof storeSettings.$inferSelect;
export type StoreSettingsPatch = Partial<Omit<StoreSettings, 'storeId' | 'updatedAt' | 'linkSigningKey'>>;

export async function findStoreSettings(d: Db, storeId: string): Promise<StoreSettings | undefined> {
  return d.select().from(storeSettings).where(eq(storeSettings.storeId, storeId)).get();
}

export async function updateStoreSettings(d: Db, storeId: string, patch: StoreSettingsPatch, now: number): Promise<StoreSettings> {
  const row = await d
    .insert(storeSettings)
    .values({ storeId, ...patch, updatedAt: now })
    .onConflictDoUpdate({ target: storeSettings.storeId, set: { ...patch, updatedAt: now } })
    .returning()
    .get();
  return row;
}

/**
 * The store's link-signing key, created on first use. Concurrent first callers converge on the
 * first key written: the update only fills an empty column.
 */
export async function linkSigningKey(d: Db, storeId: string, now: number): Promise<string> {
  const existing = await findStoreSettings(d, storeId);
  if (existing?.linkSigningKey) return existing.linkSigningKey;
  const fresh = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  await d.insert(storeSettings).values({ storeId, updatedAt: now }).onConflictDoNothing();
  await d
    .update(storeSettings)
    .set({ linkSigningKey: sql`coalesce(${storeSettings.linkSigningKey}, ${fresh})` })
    .where(eq(storeSettings.storeId, storeId));
  const row = await findStoreSettings(d, storeId);
  if (!row?.linkSigningKey) throw new Error(`link signing key for ${storeId} was not stored`);
  return row.linkSigningKey;
}
