import type { GuardrailSettings } from '../../db/queries/guardrail-settings';
import type { SendEmailAction, SendSmsAction } from '../../journeys/actions';
import type { ExecutorContext, ExecutorOutcome } from '../../contacts/executors/types';

export type SendChannel = 'email' | 'sms';
export type SendPriority = 'low' | 'normal' | 'high';

/** One message about to be handed to a channel, as the guardrails see it. */
export type SendRequest = {
  channel: SendChannel;
  /** `<enrollment id>:<node id>`: the key of the message row, and of the recorded decision. */
  idempotencyKey: string;
  flowId: string | null;
  priority: SendPriority;
  onCap: 'defer' | 'skip';
  /** Cart-style reminders the contact's own action asked for (see flow-nodes.ts `sendGuard`). */
  transactional: boolean;
  /** When the enrollment began; null for sends outside a flow. */
  enteredAt: number | null;
  /** The event that started the enrollment (`cart_updated`, `product_view`, ...). */
  trigger: string | null;
  /** Products the message promotes: its recommendations, the viewed product of a browse flow. */
  products: number[];
  /** Preference-centre topics: the flow's own plus `category:<slug>` of what it recommends. */
  topics: string[];
  categories: number[];
};

export type GuardrailDecision =
  | { action: 'send'; withoutProducts: number[] }
  | { action: 'defer'; until: number; reason: string }
  | { action: 'skip'; reason: string };

export type Blocked = Exclude<GuardrailDecision, { action: 'send' }>;

/** Everything a rule reads: the executor's world, the request, the store's settings and the contact's zone. */
export type Guard = { ctx: ExecutorContext; req: SendRequest; settings: GuardrailSettings; timeZone: string };

export const skip = (reason: string): Blocked => ({ action: 'skip', reason });
export const defer = (until: number, reason: string): Blocked => ({ action: 'defer', until, reason });

/** A cap-like rule defers or drops the send as its step says. */
export function capped(req: SendRequest, until: number, reason: string): Blocked {
  return req.onCap === 'skip' ? skip(reason) : defer(until, reason);
}

function browsedProduct(action: SendEmailAction | SendSmsAction): number[] {
  if (action.guard?.trigger !== 'product_view') return [];
  const id = Number(action.context.event?.productId);
  return Number.isInteger(id) && id > 0 ? [id] : [];
}

/** The request for a journey send action; actions from before guards existed get the node defaults. */
export function sendRequestOf(action: SendEmailAction | SendSmsAction): SendRequest {
  const guard = action.guard;
  const recommended = action.type === 'send_email' ? action.products : [];
  return {
    channel: action.type === 'send_email' ? 'email' : 'sms',
    idempotencyKey: action.idempotencyKey,
    flowId: action.flowId,
    priority: guard?.priority ?? 'normal',
    onCap: guard?.onCap ?? 'defer',
    transactional: guard?.transactional ?? false,
    enteredAt: guard?.enteredAt ?? null,
    trigger: guard?.trigger ?? null,
    products: [...new Set([...recommended, ...browsedProduct(action)])],
    topics: guard?.topics ?? [],
    categories: action.type === 'send_email' ? action.categories : [],
  };
}

/** What the executor returns for a decision that stops the send, or null to go on sending. */
export function executorOutcomeOf(decision: GuardrailDecision): ExecutorOutcome | null {
  switch (decision.action) {
    case 'send':
      return null;
    case 'defer':
      return { status: 'deferred', until: decision.until, reason: decision.reason };
    case 'skip':
      return { status: 'skipped', reason: decision.reason };
  }
}
