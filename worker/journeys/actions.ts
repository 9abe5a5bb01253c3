import type { Scalar } from './events';
import type { Fill } from './flow-nodes';
import type { EnrollmentContext } from './state';

/** Where an action comes from; `idempotencyKey` is `<enrollment id>:<node id>`, unique in D1. */
export type ActionOrigin = {
  idempotencyKey: string;
  flowId: string;
  flowVersion: number;
  enrollmentId: string;
  nodeId: string;
};

/** Merge fields set by the flow, by dotted template path (`path.title`). */
export type MessageParamValues = Record<string, Scalar | (string | number)[]>;

/**
 * What the send guardrails (worker/messaging/guardrails) need to know about the step: its node
 * settings, when the enrollment began (a paid order since then ends cart and browse sends) and
 * the event that started it (`cart_updated`, `product_view`, ... or null for date/segment triggers).
 * step() always sets it; it is optional because outboxes persisted before it existed lack it.
 */
export type SendGuard = {
  priority: 'low' | 'normal' | 'high';
  onCap: 'defer' | 'skip';
  transactional: boolean;
  enteredAt: number;
  trigger: string | null;
  /** The flow's topics (`news`, `offers`); absent in outboxes persisted before topics existed. */
  topics?: string[];
};

export type SendEmailAction = ActionOrigin & {
  type: 'send_email';
  guard?: SendGuard;
  template: string;
  context: EnrollmentContext;
  params: MessageParamValues;
  /** Choice links to render; each click reports its key as message.clicked `linkKey`. */
  choices: { key: string; label: string }[];
  /** Recommended products left after removing what the contact already bought. */
  products: number[];
  categories: number[];
  /** Fill the recommendations from the catalogue this way (in stock, not bought; within `categories` if any). */
  fill?: Fill;
  /** How many earlier emails of the enrollment were filled the same way: skip that many pages of picks. */
  fillPage?: number;
  /** The label of the choice the contact clicked that `fill` follows (zero-party data), for the copy. */
  selection?: string;
  /** Skip the email when the catalogue leaves nothing to recommend. */
  skipIfEmpty?: boolean;
};
export type SendSmsAction = ActionOrigin & {
  type: 'send_sms';
  guard?: SendGuard;
  template: string;
  context: EnrollmentContext;
  params: MessageParamValues;
};
/** Shown by the tracker on the visitor's next page view until `expiresAt`. */
export type ShowPromptAction = ActionOrigin & {
  type: 'show_prompt';
  template: string;
  context: EnrollmentContext;
  expiresAt: number;
};
export type AddToAudienceAction = ActionOrigin & { type: 'add_to_audience'; audience: string };
/** The executor creates a unique WooCommerce coupon stored under `idempotencyKey`. */
export type IssueCouponAction = ActionOrigin & {
  type: 'issue_coupon';
  discountType: 'percent' | 'fixed_cart';
  amount: number;
  expiresAt: number;
};
export type SetTagAction = ActionOrigin & { type: 'set_tag'; tag: string; remove: boolean };
export type SetPropertyAction = ActionOrigin & { type: 'set_property'; key: string; value: Scalar };
export type CallWebhookAction = ActionOrigin & { type: 'call_webhook'; url: string; context: EnrollmentContext };

/** Journey bookkeeping for D1 (enrollment log, conversions); never sends anything. */
export type JourneyLogAction = {
  type: 'journey_log';
  what: 'enrolled' | 'completed' | 'exited' | 'converted' | 'skipped' | 'deferred' | 'migrated' | 'assigned';
  flowId: string;
  flowVersion: number;
  enrollmentId: string;
  nodeId?: string;
  reason?: string;
  /** `assigned`: the split branch key (the reason names the experiment). */
  variant?: string;
  /** `enrolled`: the contact is in the flow's holdout. */
  heldOut?: boolean;
  at: number;
};

export type JourneyAction =
  | SendEmailAction
  | SendSmsAction
  | ShowPromptAction
  | AddToAudienceAction
  | IssueCouponAction
  | SetTagAction
  | SetPropertyAction
  | CallWebhookAction
  | JourneyLogAction;

export type StepResult<S> = { state: S; actions: JourneyAction[] };

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
