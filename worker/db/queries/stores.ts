import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { stores } from '../schema';

export type Store = typeof stores.$inferSelect;
export type NewStore = typeof stores.$inferInsert;

export async function findStore(d: Db, storeId: string): Promise<Store | undefined> {
  return d.select().from(stores).where(eq(stores.id, storeId)).get();
}

export async function findStoreBySiteKey(d: Db, siteKey: string): Promise<Store | undefined> {
  return d.select().from(stores).where(eq(stores.siteKey, siteKey)).get();
}

export async function upsertStore(d: Db, store: NewStore): Promise<void> {
  const { id, createdAt, ...rest } = store;
  await d.insert(stores).values(store).onConflictDoUpdate({ target: stores.id, set: rest });
}

/** Inserts a new store; false when the id (or the generated site key) is already taken. */
export async function insertStore(d: Db, store: NewStore): Promise<boolean> {
  const inserted = await d.insert(stores).values(store).onConflictDoNothing().returning({ id: stores.id }).get();
  return inserted !== undefined;
}

export type StoreConnection = Pick<Store, 'webhookSecret' | 'siteUrl' | 'allowedOrigins'> &
  Partial<Pick<Store, 'timezone' | 'currency'>>;

/**
 * The plugin bridge connected: its webhook secret now signs deliveries and bridge events.
 * connected_at keeps its first value so a repeated connect changes nothing but the fields sent.
 */
export async function connectStore(d: Db, storeId: string, connection: StoreConnection, now: number): Promise<Store | undefined> {
  return d
    .update(stores)
    .set({ ...connection, connectedAt: sql`coalesce(${stores.connectedAt}, ${now})`, updatedAt: now })
    .where(eq(stores.id, storeId))
    .returning()
    .get();
}

export async function disconnectStore(d: Db, storeId: string, now: number): Promise<void> {
  await d.update(stores).set({ connectedAt: null, updatedAt: now }).where(eq(stores.id, storeId));
}

/** Stores whose plugin is connected and whose site is known: the ones the minute tick calls. */
export async function listConnectedSites(d: Db): Promise<{ id: string; siteUrl: string; webhookSecret: string }[]> {
  const rows = await d
    .select({ id: stores.id, siteUrl: stores.siteUrl, webhookSecret: stores.webhookSecret })
    .from(stores)
    .where(and(isNotNull(stores.connectedAt), isNotNull(stores.siteUrl)))
    .all();
  return rows.flatMap((r) => (r.siteUrl ? [{ id: r.id, siteUrl: r.siteUrl, webhookSecret: r.webhookSecret }] : []));
}
