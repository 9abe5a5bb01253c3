import type { SendEmailAction, SendSmsAction } from '../../journeys/actions';
import { checkSend, executorOutcomeOf, sendRequestOf } from '../../messaging/guardrails';
import type { ExecutorContext, ExecutorOutcome } from './types';

export type SendGateResult = { stop: ExecutorOutcome | null; withoutProducts: number[] };

/**
 * The one gate every flow message passes before it is rendered and handed to a channel: the send
 * guardrails (worker/messaging/guardrails) re-read suppression and consent, then apply purchase
 * exclusions, hibernation, the reputation breaker, preferences, frequency caps, one flow per day,
 * waking hours and best send time. `withoutProducts`: recommendations to leave out.
 */
export async function sendGate(ctx: ExecutorContext, action: SendEmailAction | SendSmsAction): Promise<SendGateResult> {
  const decision = await checkSend(ctx, sendRequestOf(action));
  return { stop: executorOutcomeOf(decision), withoutProducts: decision.action === 'send' ? decision.withoutProducts : [] };
}
