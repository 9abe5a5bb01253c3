import type { SenderReadiness } from '../../db/queries/onboarding';
import { defer, type Blocked, type Guard } from './types';

/** How often a held send looks again: once the owner sets the sender, it leaves within this delay. */
export const SENDER_HOLD_MS = 60 * 60_000;

/**
 * Promotional email waits until the store has a sender address and the postal address its footer
 * must print (anti-spam law). It is held, not dropped: deferred with `sender_incomplete` and
 * re-evaluated by every rule on the next timer, so it leaves once the owner has set both.
 * Transactional-like reminders, SMS, confirmations and test sends are not held.
 */
export function checkSenderComplete(g: Guard, sender: SenderReadiness): Blocked | null {
  if (g.req.channel !== 'email' || g.req.transactional) return null;
  return sender.fromEmail && sender.postalAddress ? null : defer(g.ctx.now + SENDER_HOLD_MS, 'sender_incomplete');
}
