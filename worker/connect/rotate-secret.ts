import { z } from 'zod';
import { db } from '../db/client';
import { promotePendingSecret, setPendingSecret, type Store } from '../db/queries/stores';
import { AppError } from '../errors';
import { SIGNATURE_HEADER, signNightshift } from '../lib/hmac';
import { base64UrlEncode } from '../lib/tokens';
import type { FetchLike } from '../messaging/retry';

const PUSH_TIMEOUT_MS = 15_000;
const PluginAnswer = z.object({ ok: z.literal(true), webhooks: z.number().int().nonnegative().optional() });

/** The plugin's REST route that takes a new secret; `?rest_route=` works whatever the permalink settings. */
export function pluginSecretUrl(siteUrl: string): string {
  const url = new URL(siteUrl);
  url.pathname = url.pathname.replace(/\/*$/, '/');
  url.search = '';
  url.searchParams.set('rest_route', '/nightshift/v1/secret');
  return url.toString();
}

export type RotationResult = { store: Store; webhooksUpdated: number | null; previousSecretUntil: number };

/**
 * Rotates the store's webhook secret without breaking anything in flight:
 * 1. the new secret is recorded as pending (it verifies, it does not sign), so whatever the plugin signs with it
 *    the moment it has it is accepted;
 * 2. the worker hands it to the plugin in a call signed with the current secret; the plugin stores it, keeps the
 *    old one for the cart links already sent, and re-saves WooCommerce's webhooks with it;
 * 3. on the plugin's 200 the new secret signs, and the old one verifies until the grace period ends.
 * An unconfirmed hand-over leaves the pending secret in place; rotating again re-sends that same secret.
 */
export async function rotateSecret(env: Env, fetcher: FetchLike, store: Store, graceMs: number, now: number): Promise<RotationResult> {
  if (!store.siteUrl || store.connectedAt === null) throw new AppError(409, 'conflict', 'The store is not connected to its plugin');
  const d = db(env.DB);
  const secret = store.pendingWebhookSecret ?? base64UrlEncode(crypto.getRandomValues(new Uint8Array(36)));
  if (!store.pendingWebhookSecret) await setPendingSecret(d, store.id, secret, now);
  const webhooksUpdated = await handOver(fetcher, store, secret, now);
  const previousSecretUntil = now + graceMs;
  const rotated = await promotePendingSecret(d, store.id, secret, previousSecretUntil, now);
  if (!rotated) throw new AppError(409, 'conflict', 'Another rotation of this store finished first');
  return { store: rotated, webhooksUpdated, previousSecretUntil };
}

async function handOver(fetcher: FetchLike, store: Store, secret: string, now: number): Promise<number | null> {
  const body = JSON.stringify({ store: store.id, secret });
  let res: Response;
  try {
    res = await fetcher(pluginSecretUrl(store.siteUrl ?? ''), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: await signNightshift(store.webhookSecret, body, Math.floor(now / 1000)) },
      body,
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
  } catch (err) {
    throw unconfirmed(err instanceof Error ? err.message : String(err));
  }
  const answer = PluginAnswer.safeParse(await res.json().catch(() => null));
  if (res.status !== 200 || !answer.success) throw unconfirmed(`HTTP ${res.status}`);
  return answer.data.webhooks ?? null;
}

function unconfirmed(reason: string): AppError {
  return new AppError(502, 'bad_gateway', `The plugin did not confirm the new secret (${reason}); the current secret still signs. Try again once the site is reachable.`);
}
