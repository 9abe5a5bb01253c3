import { and, eq, sql } from 'drizzle-orm';
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
  Partial<Pick<Store, 'timezone' | 'currency' | 'pendingWebhookSecret'>>;

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

/** A rotation's new secret, verifying (never signing) until the plugin confirms it has it. */
export async function setPendingSecret(d: Db, storeId: string, secret: string, now: number): Promise<void> {
  await d.update(stores).set({ pendingWebhookSecret: secret, updatedAt: now }).where(eq(stores.id, storeId));
}

/** The plugin has the new secret: it signs from now on, and the one it replaces verifies until `previousUntil`. */
export async function promotePendingSecret(d: Db, storeId: string, secret: string, previousUntil: number, now: number) {
  return d
    .update(stores)
    .set({
      previousWebhookSecret: sql`${stores.webhookSecret}`,
      previousSecretUntil: previousUntil,
      webhookSecret: secret,
      pendingWebhookSecret: null,
      updatedAt: now,
    })
    .where(and(eq(stores.id, storeId), eq(stores.pendingWebhookSecret, secret)))
    .returning()
    .get();
}

/** A new connect code for the store: the previous token stops working. */
export async function replaceConnectToken(d: Db, storeId: string, connectTokenHash: string, now: number): Promise<void> {
  await d.update(stores).set({ connectTokenHash, updatedAt: now }).where(eq(stores.id, storeId));
}
