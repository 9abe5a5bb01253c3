import type { Store } from '../db/queries/stores';

/** A rotation's grace period: both secrets verify. At least 5 minutes, longer than the isolates' 30 s store cache. */
export const MIN_GRACE_MINUTES = 5;
export const DEFAULT_GRACE_MINUTES = 24 * 60;
export const MAX_GRACE_MINUTES = 7 * 24 * 60;

/**
 * The secrets that verify what the store's side signed (webhooks, plugin batches, identity tokens) at `now`: the
 * current one; a rotation's new one while the plugin confirms it; the replaced one until its grace period ends.
 * Only the current secret ever signs.
 */
export function verifyingSecrets(store: Store, now: number): string[] {
  const secrets = [store.webhookSecret];
  if (store.pendingWebhookSecret) secrets.push(store.pendingWebhookSecret);
  if (store.previousWebhookSecret && (store.previousSecretUntil ?? 0) > now) secrets.push(store.previousWebhookSecret);
  return secrets;
}
