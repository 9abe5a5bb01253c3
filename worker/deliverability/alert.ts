import type { Db } from '../db/client';
import type { Message } from '../db/queries/messages';
import { STORE_ADMIN_RECIPIENT, TRANSACTIONAL_STREAM } from '../db/queries/provider-events';
import { findStoreSettings } from '../db/queries/store-settings';
import type { Store } from '../db/queries/stores';
import { selectEmailChannel } from '../messaging/channels';
import { providerConfigOf } from '../messaging/provider-config';
import { deliverEmail, messageIdFor } from '../messaging/email/deliver';
import { renderPauseAlert } from './alert-copy';
import type { Breach } from './rates';

export function alertIdempotencyKey(incidentId: string): string {
  return `reputation-alert:${incidentId}`;
}

export function reputationDashboardUrl(env: Env, storeId: string): string {
  return `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/admin/stores/${encodeURIComponent(storeId)}/reputation`;
}

/**
 * Emails the store's admin about a pause through the store's own email channel (the outbox when no
 * Postmark token is set). The message row is keyed by the incident, so however often this runs for one
 * pause, the admin gets one email. Returns null when the store has no admin address.
 */
export async function sendPauseAlert(env: Env, d: Db, store: Store, incidentId: string, breaches: Breach[], now: number): Promise<Message | null> {
  if (!store.adminEmail) return null;
  const settings = await findStoreSettings(d, store.id);
  // An alert to the admin is not marketing.
  const channel = selectEmailChannel(providerConfigOf(env, settings, { postmarkMessageStream: TRANSACTIONAL_STREAM }));
  const idempotencyKey = alertIdempotencyKey(incidentId);
  const dashboardUrl = reputationDashboardUrl(env, store.id);
  const content = renderPauseAlert(store.locale, store.name, breaches, dashboardUrl);
  const fallbackFrom = `nightshift@${new URL(env.PUBLIC_BASE_URL).hostname}`;
  const email = {
    sendId: await messageIdFor(store.id, idempotencyKey),
    from: settings?.fromEmail ?? fallbackFrom,
    to: store.adminEmail,
    ...content,
    tag: 'reputation-alert',
    listUnsubscribeUrl: dashboardUrl,
    metadata: { store_id: store.id },
  };
  const record = { storeId: store.id, contactId: STORE_ADMIN_RECIPIENT, idempotencyKey };
  return (await deliverEmail(d, channel, record, email, now)).message;
}
