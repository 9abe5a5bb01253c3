import { and, eq } from 'drizzle-orm';
import { deploymentKeyring, needsReseal, openSecret, sealSecret, contextOf, type Keyring } from '../../lib/secret-box';
import type { Db } from '../client';
import { stores, storeSettings } from '../schema';

/**
 * The secret columns of each table, sealed at rest (`lib/secret-box.ts`) by the query functions that read and
 * write them, so callers only ever see clear values. A new secret column (a previous webhook secret, wc-auth
 * keys…) is sealed by adding its name here; the re-encryption job then covers it too.
 */
export const STORE_SECRETS = ['webhookSecret', 'previousWebhookSecret', 'pendingWebhookSecret'] as const;
export const SETTINGS_SECRETS = [
  'postmarkServerToken',
  'postmarkWebhookUser',
  'postmarkWebhookPasswordHash',
  'smsAuthToken',
  'wooConsumerKey',
  'wooConsumerSecret',
  'linkSigningKey',
] as const;

type Target = { table: string; name: 'stores' | 'store_settings'; columns: readonly string[] };
const TARGETS: Target[] = [
  { table: 'stores', name: 'stores', columns: STORE_SECRETS },
  { table: 'store_settings', name: 'store_settings', columns: SETTINGS_SECRETS },
];

/**
 * Seals every clear value, and reseals every value sealed under SECRETS_KEY_PREVIOUS, under SECRETS_KEY. Each
 * update is conditional on the value read, so a concurrent write is never overwritten. Returns values resealed.
 */
export async function resealStoreSecrets(d: Db, storeId: string, ring?: Keyring): Promise<number> {
  const keys = ring ?? (await deploymentKeyring());
  if (!keys.current) return 0;
  let resealed = 0;
  for (const target of TARGETS) {
    const row = await rawRow(d, target.name, storeId);
    if (!row) continue;
    for (const column of target.columns) {
      const stored = row[column];
      if (typeof stored !== 'string' || stored === '' || !needsReseal(stored, keys)) continue;
      const context = contextOf(target.table, column, storeId);
      const sealed = await sealSecret(await openSecret(stored, context, keys), context, keys);
      if (await swap(d, target.name, storeId, column, stored, sealed)) resealed++;
    }
  }
  return resealed;
}

async function rawRow(d: Db, name: Target['name'], storeId: string): Promise<Record<string, unknown> | undefined> {
  return name === 'stores'
    ? d.select().from(stores).where(eq(stores.id, storeId)).get()
    : d.select().from(storeSettings).where(eq(storeSettings.storeId, storeId)).get();
}

async function swap(d: Db, name: Target['name'], storeId: string, column: string, from: string, to: string): Promise<boolean> {
  if (name === 'stores') {
    const col = stores[column as (typeof STORE_SECRETS)[number]];
    const done = await d.update(stores).set({ [column]: to }).where(and(eq(stores.id, storeId), eq(col, from))).returning({ id: stores.id }).get();
    return done !== undefined;
  }
  const col = storeSettings[column as (typeof SETTINGS_SECRETS)[number]];
  const done = await d
    .update(storeSettings)
    .set({ [column]: to })
    .where(and(eq(storeSettings.storeId, storeId), eq(col, from)))
    .returning({ id: storeSettings.storeId })
    .get();
  return done !== undefined;
}
