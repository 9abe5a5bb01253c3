import { db } from '../client';
import { findStore, findStoreBySiteKey, type Store } from './stores';

/**
 * Beacons and webhooks arrive by the thousand per store, so each isolate keeps store rows briefly
 * instead of reading D1 on every request: a settings change applies within STORE_CACHE_MS. Callers
 * that authenticate with a secret re-read on mismatch (`fresh: true`), so a rotated secret applies at once.
 */
const STORE_CACHE_MS = 30_000;
const STORE_CACHE_MAX = 1000;
const storeCache = new Map<string, { store: Store | undefined; until: number }>();

export type StoreKey = { siteKey: string } | { storeId: string };

export async function cachedStore(env: Env, key: StoreKey, options: { fresh?: boolean } = {}): Promise<Store | undefined> {
  const cacheKey = 'siteKey' in key ? `k:${key.siteKey}` : `s:${key.storeId}`;
  const now = Date.now();
  const hit = storeCache.get(cacheKey);
  if (hit && hit.until > now && !options.fresh) return hit.store;
  const d = db(env.DB);
  const store = 'siteKey' in key ? await findStoreBySiteKey(d, key.siteKey) : await findStore(d, key.storeId);
  if (storeCache.size >= STORE_CACHE_MAX) storeCache.clear();
  storeCache.set(cacheKey, { store, until: now + STORE_CACHE_MS });
  return store;
}
