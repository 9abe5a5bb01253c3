import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { contextOf, openColumns, sealColumns, sealSecret } from '../../lib/secret-box';
import { privacySettings, storeSettings } from '../schema';
import { liveMessageVersionQuery, type MessageStepKey, type MessageVersion } from './message-versions';
import { SETTINGS_SECRETS } from './secret-columns';

export type StoreSettings = typeof storeSettings.$inferSelect;
export type StoreSettingsPatch = Partial<Omit<StoreSettings, 'storeId' | 'updatedAt' | 'linkSigningKey'>>;

/** Provider credentials and the link-signing key are sealed at rest (SETTINGS_SECRETS): opened on read, sealed on write. */
async function opened(row: StoreSettings | undefined): Promise<StoreSettings | undefined> {
  return row && openColumns('store_settings', row.storeId, row, SETTINGS_SECRETS);
}

export async function findStoreSettings(d: Db, storeId: string): Promise<StoreSettings | undefined> {
  return opened(await d.select().from(storeSettings).where(eq(storeSettings.storeId, storeId)).get());
}

/**
 * The store's settings, the live wording of one message step and whether the store tracks opens at all
 * (privacy settings; no row: on), in one D1 round trip: every flow email reads all three.
 */
export async function findSettingsAndWording(d: Db, key: MessageStepKey): Promise<{ settings: StoreSettings | undefined; wording: MessageVersion | undefined; openTracking: boolean }> {
  const [settings, wording, privacy] = await d.batch([
    d.select().from(storeSettings).where(eq(storeSettings.storeId, key.storeId)).limit(1),
    liveMessageVersionQuery(d, key),
    d.select({ openTracking: privacySettings.openTracking }).from(privacySettings).where(eq(privacySettings.storeId, key.storeId)).limit(1),
  ]);
  return { settings: await opened(settings[0]), wording: wording[0], openTracking: privacy[0]?.openTracking ?? true };
}

export async function updateStoreSettings(d: Db, storeId: string, patch: StoreSettingsPatch, now: number): Promise<StoreSettings> {
  const sealed = await sealColumns('store_settings', storeId, patch, SETTINGS_SECRETS);
  const row = await d
    .insert(storeSettings)
    .values({ storeId, ...sealed, updatedAt: now })
    .onConflictDoUpdate({ target: storeSettings.storeId, set: { ...sealed, updatedAt: now } })
    .returning()
    .get();
  return (await opened(row)) ?? row;
}

/**
 * The store's link-signing key, created on first use. Concurrent first callers converge on the
 * first key written: the update only fills an empty column.
 */
export async function linkSigningKey(d: Db, storeId: string, now: number): Promise<string> {
  const existing = await findStoreSettings(d, storeId);
  if (existing?.linkSigningKey) return existing.linkSigningKey;
  const plain = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  const fresh = await sealSecret(plain, contextOf('store_settings', 'linkSigningKey', storeId));
  await d.insert(storeSettings).values({ storeId, updatedAt: now }).onConflictDoNothing();
  await d
    .update(storeSettings)
    .set({ linkSigningKey: sql`coalesce(${storeSettings.linkSigningKey}, ${fresh})` })
    .where(eq(storeSettings.storeId, storeId));
  const row = await findStoreSettings(d, storeId);
  if (!row?.linkSigningKey) throw new Error(`link signing key for ${storeId} was not stored`);
  return row.linkSigningKey;
}
