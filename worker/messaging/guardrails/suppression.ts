import { currentContact } from '../../contacts/executors/types';
import { lastSmsOptOutAt } from '../../db/queries/send-history';
import { sendConsents } from '../../contacts/privacy/consent';
import { skip, type Blocked, type Guard } from './types';

/**
 * Hard bounces, complaints, unsubscribes and provider suppressions (all recorded on the contact's
 * status and in the consent ledger) stop every channel, transactional-like reminders included:
 * each channel needs marketing consent in force, and SMS also no STOP since it was given.
 * The contact row is read again: a deferred send may run long after the executor loaded it (in a send-stage batch,
 * the row the stage read for this batch).
 */
export async function checkSuppression(g: Guard): Promise<Blocked | null> {
  const { d, store } = g.ctx;
  const contact = await currentContact(g.ctx, store.id, g.ctx.contact.id);
  if (!contact) return skip('unknown_contact');
  if (contact.status !== 'active') return skip(`suppressed_${contact.status}`);
  const consent = (await sendConsents(g.ctx))[g.req.channel];
  if (g.req.channel === 'email') {
    if (!contact.email) return skip('no_email_address');
    // No row yet means no marketing (double opt-in pending, never asked); a withdrawal says so.
    if (consent?.granted !== true) return skip(consent ? 'email_consent_withdrawn' : 'no_email_consent');
    return null;
  }
  if (!contact.phone) return skip('no_phone_number');
  // SMS needs an explicit opt-in; a STOP the provider reported after it (error 21610) still stops us.
  if (consent?.granted !== true) return skip('no_sms_consent');
  const optedOut = await lastSmsOptOutAt(d, store.id, contact.id);
  return optedOut !== null && optedOut >= consent.occurredAt ? skip('sms_stop') : null;
}
