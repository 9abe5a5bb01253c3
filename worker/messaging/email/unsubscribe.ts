import type { Db } from '../../db/client';
import { appendConsents, currentConsent } from '../../db/queries/consents';
import { markContactUnsubscribed } from '../../db/queries/contact-reach';

/**
 * Withdraws email marketing consent (a ledger row with source `unsubscribe`, unless withdrawal is
 * already in force) and marks the contact unsubscribed. Safe to repeat: mailbox providers retry.
 */
export async function unsubscribeEmail(d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  const current = await currentConsent(d, storeId, contactId, 'email', 'marketing');
  if (!current || current.granted) {
    await appendConsents(d, [{ storeId, contactId, channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe', occurredAt: now }]);
  }
  await markContactUnsubscribed(d, storeId, contactId, now);
}
