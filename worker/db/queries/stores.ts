import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { openColumns, sealColumns } from '../../lib/secret-box';
import { stores } from '../schema';
import { STORE_SECRETS } from './secret-columns';

export type Store = typeof stores.$inferSelect;
export type NewStore = typeof stores.$inferInsert;

/** The webhook secrets are sealed at rest (STORE_SECRETS): every query reading a whole row opens it through this. */
export async function opened(row: Store | undefined): Promise<Store | undefined> {
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
  Partial<Pick<Store, 'timezone' | 'currency' | 'pendingWebhookSecret'>>;

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

/** A rotation's new secret, verifying (never signing) until the plugin confirms it has it. */
export async function setPendingSecret(d: Db, storeId: string, secret: string, now: number): Promise<void> {
  const sealed = await sealColumns('stores', storeId, { pendingWebhookSecret: secret }, STORE_SECRETS);
  await d.update(stores).set({ ...sealed, updatedAt: now }).where(eq(stores.id, storeId));
}

/**
 * The plugin has the new secret: it signs from now on, and the one it replaces verifies until `previousUntil`.
 * Sealed values are bound to their column, so the old secret is opened and sealed again as the previous one
 * (a SQL copy of the ciphertext would not open); the update holds only if the pending value is still the one read.
 */
export async function promotePendingSecret(d: Db, storeId: string, secret: string, previousUntil: number, now: number) {
  const raw = await d.select().from(stores).where(eq(stores.id, storeId)).get();
  const current = await opened(raw);
  if (!raw?.pendingWebhookSecret || current?.pendingWebhookSecret !== secret) return undefined;
  const sealed = await sealColumns('stores', storeId, { webhookSecret: secret, previousWebhookSecret: current.webhookSecret }, STORE_SECRETS);
  const row = await d
    .update(stores)
    .set({ ...sealed, previousSecretUntil: previousUntil, pendingWebhookSecret: null, updatedAt: now })
    .where(and(eq(stores.id, storeId), eq(stores.pendingWebhookSecret, raw.pendingWebhookSecret)))
    .returning()
    .get();
  return opened(row);
}

/** A new connect code for the store: the previous token stops working. */
export async function replaceConnectToken(d: Db, storeId: string, connectTokenHash: string, now: number): Promise<void> {
  await d.update(stores).set({ connectTokenHash, updatedAt: now }).where(eq(stores.id, storeId));
}

/** Stores whose plugin is connected and whose site is known: the ones the minute tick calls. */
export async function listConnectedSites(d: Db): Promise<{ id: string; siteUrl: string; webhookSecret: string }[]> {
  const rows = await d
    .select()
    .from(stores)
    .where(and(isNotNull(stores.connectedAt), isNotNull(stores.siteUrl)))
    .all();
  const open = await Promise.all(rows.map(opened));
  return open.flatMap((r) => (r?.siteUrl ? [{ id: r.id, siteUrl: r.siteUrl, webhookSecret: r.webhookSecret }] : []));
}
