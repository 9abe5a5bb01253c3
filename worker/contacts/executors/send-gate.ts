import { currentConsent } from '../../db/queries/consents';
import type { ExecutorContext, ExecutorOutcome } from './types';

export type SendChannel = 'email' | 'sms';

/**
 * The one gate every flow message passes before it is rendered and handed to a channel. The
 * journey decided with the facts of an earlier moment; consent and status are read again here
 * because a deferred or retried send may run hours later. Frequency caps and consent-based
 * tracking belong here too, so they apply to every send at once.
 */
export async function sendGate(ctx: ExecutorContext, channel: SendChannel): Promise<ExecutorOutcome | null> {
  const contact = ctx.contact;
  if (contact.status !== 'active') return { status: 'skipped', reason: `contact ${contact.status}` };
  const address = channel === 'email' ? contact.email : contact.phone;
  if (!address) return { status: 'skipped', reason: `no ${channel === 'email' ? 'email address' : 'phone number'}` };
  const consent = await currentConsent(ctx.d, ctx.store.id, contact.id, channel, 'marketing');
  if (consent?.granted !== true) return { status: 'skipped', reason: `no ${channel} marketing consent` };
  return null;
}
