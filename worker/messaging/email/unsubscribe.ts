import type { Db } from '../../db/client';
import { appendConsents, currentConsent } from '../../db/queries/consents';
import { markContactUnsubscribed } from '../../db/queries/contact-reach';

/**
 * Withdraws email marketing consent (a ledger row with source `unsubscribe`, unless withdrawal is
 * already in force) and marks the contact unsubscribed. Safe to repeat: mailbox providers retry. Returns true
 * when this call withdrew the consent (a repeat returns false, so its consequences are not counted twice).
 */
export async function unsubscribeEmail(d: Db, storeId: string, contactId: string, now: number): Promise<boolean> {
  const current = await currentConsent(d, storeId, contactId, 'email', 'marketing');
  const withdraws = !current || current.granted;
  if (withdraws) {
    await appendConsents(d, [{ storeId, contactId, channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe', occurredAt: now }]);
  }
  await markContactUnsubscribed(d, storeId, contactId, now);
  return withdraws;
}
