import { z } from 'zod';
import { startCatalogRun, type CatalogDeps } from '../catalog/catalog-import';
import { db, type Db } from '../db/client';
import { updateStoreSettings } from '../db/queries/store-settings';
import { consumeWcAuthRequest, recordWcAuthRequest } from '../db/queries/wc-auth';
import { sha256Hex } from '../lib/hmac';
import { randomToken } from './create-store';

/** How long the owner has to approve on WooCommerce's authorization screen. */
export const WC_AUTH_TTL_MS = 60 * 60 * 1000;

export type WcAuthOffer = { userId: string; callbackUrl: string; expiresAt: number };

/**
 * What the plugin needs to send the owner to `/wc-auth/v1/authorize`: a one-time `user_id` (WooCommerce echoes it
 * in its unsigned callback, so it is the callback's only proof) and the callback URL. WooCommerce accepts only an
 * HTTPS callback, so a worker reached over plain HTTP offers none.
 */
export async function offerWcAuth(d: Db, storeId: string, workerOrigin: string, now: number): Promise<WcAuthOffer | null> {
  if (!workerOrigin.startsWith('https://')) return null;
  const userId = randomToken('wca_', 24);
  const expiresAt = now + WC_AUTH_TTL_MS;
  await recordWcAuthRequest(d, storeId, await sha256Hex(userId), now, expiresAt);
  return { userId, callbackUrl: `${workerOrigin}/wc-auth/callback/${encodeURIComponent(storeId)}`, expiresAt };
}

/** `WC_Auth::post_consumer_data`: the key WooCommerce just created for us. */
export const WcAuthCallback = z.object({
  key_id: z.number().int(),
  user_id: z.string().min(1).max(200),
  consumer_key: z.string().regex(/^ck_[A-Za-z0-9]{20,64}$/),
  consumer_secret: z.string().regex(/^cs_[A-Za-z0-9]{20,64}$/),
  key_permissions: z.string(),
});
export type WcAuthCallback = z.infer<typeof WcAuthCallback>;

/**
 * Stores the REST keys when the callback carries a value we issued for this store, unused and unexpired (used up
 * here, so a replay fails), then starts the catalogue import. False for anything else.
 */
export async function acceptWcAuthKeys(env: Env, deps: CatalogDeps, storeId: string, callback: WcAuthCallback, now: number): Promise<boolean> {
  const d = db(env.DB);
  if (!(await consumeWcAuthRequest(d, storeId, await sha256Hex(callback.user_id), now))) return false;
  await updateStoreSettings(d, storeId, { wooConsumerKey: callback.consumer_key, wooConsumerSecret: callback.consumer_secret }, now);
  await startCatalogRun(env, deps, storeId, 'connect', now);
  return true;
}
