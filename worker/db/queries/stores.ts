import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { openColumns, sealColumns } from '../../lib/secret-box';
import { stores } from '../schema';
import { STORE_SECRETS } from './secret-columns';

export type Store = typeof stores.$inferSelect;
export type NewStore = typeof stores.$inferInsert;

/** The webhook secret is sealed at rest (STORE_SECRETS): rows are opened on read and sealed on write, here only. */
async function opened(row: Store | undefined): Promise<Store | undefined> {
  return row && openColumns('stores', row.id, row, STORE_SECRETS);
}

export async function findStore(d: Db, storeId: string): Promise<Store | undefined> {
  return opened(await d.select().from(stores).where(eq(stores.id, storeId)).get());
}

export async function findStoreBySiteKey(d: Db, siteKey: string): Promise<Store | undefined> {
  return opened(await d.select().from(stores).where(eq(stores.siteKey, siteKey)).get());
}

export async function upsertStore(d: Db, store: NewStore): Promise<void> {
  const sealed = await sealColumns('stores', store.id, store, STORE_SECRETS);
  const { id, createdAt, ...rest } = sealed;
  await d.insert(stores).values(sealed).onConflictDoUpdate({ target: stores.id, set: rest });
}

/** Inserts a new store; false when the id (or the generated site key) is already taken. */
export async function insertStore(d: Db, store: NewStore): Promise<boolean> {
  const sealed = await sealColumns('stores', store.id, store, STORE_SECRETS);
  const inserted = await d.insert(stores).values(sealed).onConflictDoNothing().returning({ id: stores.id }).get();
  return inserted !== undefined;
}

export type StoreConnection = Pick<Store, 'webhookSecret' | 'siteUrl' | 'allowedOrigins'> &
  Partial<Pick<Store, 'timezone' | 'currency'>>;

/**
 * The plugin bridge connected: its webhook secret now signs deliveries and bridge events.
 * connected_at keeps its first value so a repeated connect changes nothing but the fields sent.
 */
export async function connectStore(d: Db, storeId: string, connection: StoreConnection, now: number): Promise<Store | undefined> {
  const sealed = await sealColumns('stores', storeId, connection, STORE_SECRETS);
  const row = await d
    .update(stores)
    .set({ ...sealed, connectedAt: sql`coalesce(${stores.connectedAt}, ${now})`, updatedAt: now })
    .where(eq(stores.id, storeId))
    .returning()
    .get();
  return opened(row);
}

export async function disconnectStore(d: Db, storeId: string, now: number): Promise<void> {
  await d.update(stores).set({ connectedAt: null, updatedAt: now }).where(eq(stores.id, storeId));
}
