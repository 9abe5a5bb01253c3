import { eq } from 'drizzle-orm';
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
