import { z } from 'zod';
import { Duration, ListItem, ref, TemplateId, TimeOfDay } from './flow-settings';

/** Domain events a flow can react to (timers are internal and never named in a flow). */
export const DomainEventType = z.enum([
  'order.placed',
  'order.paid',
  'order.refunded',
  'order.cancelled',
  'customer.created',
  'cart_updated',
  'checkout_started',
  'product_view',
  'page_view',
  'identified',
  'message.sent',
  'message.opened',
  'message.clicked',
  'message.bounced',
  'sms.stop',
  'preferences.updated',
  'date.reached',
  'segment.entered',
  'segment.exited',
]);
export type DomainEventType = z.infer<typeof DomainEventType>;

export const NodeId = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'Expected a node id such as email_1');
export type NodeId = z.infer<typeof NodeId>;

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

/**
 * One test on the data an enrollment can see. `subject` picks the object, `path` walks it with
 * dots (`stats.totalSpent`, `properties.favourite`, `key` of the clicked link).
 */
export const Condition = z.strictObject({
  subject: z.enum(['contact', 'cart', 'order', 'event', 'item', 'link', 'setting']),
  path: z.string().min(1).max(200),
  /** `empty`: missing, or an empty list or text (a category setting left empty means "any"). */
  op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'intersects', 'exists', 'missing', 'empty']),
  value: ref(z.union([Scalar, z.array(ListItem)])).optional(),
});
export type Condition = z.infer<typeof Condition>;

const Conditions = z.array(Condition).max(20).default([]);

/**
 * A duration that can come from the contact or the enrollment, e.g. a product's lifespan in days
 * minus a lead time, or the contact's median order gap times 1.5.
 */
export const DerivedDuration = z.strictObject({
  from: z.enum(['contact', 'item']),
  path: z.string().min(1).max(200),
  unit: z.enum(['h', 'd']),
  times: ref(z.number().positive()).optional(),
  minus: ref(Duration).optional(),
  min: ref(Duration).optional(),
  /** Never longer than this (win-back must land before the contact hibernates). */
  max: ref(Duration).optional(),
  fallback: ref(Duration),
});
export type DerivedDuration = z.infer<typeof DerivedDuration>;

export const DurationExpr = z.union([ref(Duration), DerivedDuration]);
export type DurationExpr = z.infer<typeof DurationExpr>;

export const EventMatch = z.strictObject({ event: DomainEventType, where: Conditions });
export type EventMatch = z.infer<typeof EventMatch>;

/** once: never again; after_exit: not while enrolled (+ cooldown); restart: a new trigger replaces the running one. */
export const Reentry = z.strictObject({
  mode: z.enum(['once', 'after_exit', 'restart']),
  cooldown: ref(Duration).optional(),
});
export type Reentry = z.infer<typeof Reentry>;

export const TriggerOn = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('event'),
    event: DomainEventType,
    where: Conditions,
    /** One enrollment per order line matching these item conditions, keyed by product id. */
    forEachItem: z.strictObject({ where: Conditions }).optional(),
  }),
  /** Fired by the scheduler as `date.reached` with properties.field (e.g. birthday). */
  z.strictObject({ kind: z.literal('date'), field: z.string().min(1).max(64), where: Conditions }),
  /** Fired by segment evaluation as `segment.entered` / `segment.exited` with properties.segment. */
  z.strictObject({ kind: z.literal('segment'), segment: ref(z.string().min(1).max(64)), change: z.enum(['entered', 'exited']) }),
]);
export type TriggerOn = z.infer<typeof TriggerOn>;

const base = { id: NodeId, label: z.string().max(200).optional() };
const then = { next: NodeId.optional() };
const toggle = { enabled: ref(z.boolean()).optional() };

export const TriggerNode = z.strictObject({
  type: z.literal('trigger'),
  ...base,
  on: TriggerOn,
  reentry: Reentry.optional(),
  next: NodeId,
});

export const WaitUntil = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('duration'),
    duration: DurationExpr,
    /** `enrollment`: counts from when the contact entered; already past → continue at once. */
    since: z.enum(['step', 'enrollment']).default('step'),
    /** These events start the wait again (a cart that keeps changing is not idle yet). */
    restartOn: z.array(DomainEventType).max(10).default([]),
  }),
  z.strictObject({ kind: z.literal('time_of_day'), time: ref(TimeOfDay) }),
  z.strictObject({
    kind: z.literal('event'),
    event: DomainEventType,
    where: Conditions,
    /** For message events: only events about the message sent by this node of the same enrollment. */
    fromNode: NodeId.optional(),
    /** Any of these ends the wait too (e.g. a visit or a cart change, as well as a click). */
    orEvents: z.array(DomainEventType).max(10).optional(),
    timeout: DurationExpr,
    onTimeout: NodeId.optional(),
  }),
]);
export type WaitUntil = z.infer<typeof WaitUntil>;

export const WaitNode = z.strictObject({ type: z.literal('wait'), ...base, until: WaitUntil, ...then });

export const BranchNode = z.strictObject({
  type: z.literal('branch'),
  ...base,
  cases: z.array(z.strictObject({ when: z.array(Condition).min(1).max(20), next: NodeId })).min(1).max(10),
  otherwise: NodeId.optional(),
});

/** One arm of an A/B test: a whole sub-sequence starting at `next`, chosen for `weight` of the contacts. */
export const SplitBranch = z.strictObject({
  key: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'Expected a branch key such as a or short'),
  label: z.string().max(200).optional(),
  weight: z.number().positive().max(1000).default(1),
  next: NodeId,
});
export type SplitBranch = z.infer<typeof SplitBranch>;

/**
 * An A/B test of whole sequences. Each contact lands on one branch, chosen by a stable hash of the
 * contact and `experiment` (not of the flow version), so edits and migrations never reshuffle anyone.
 */
export const SplitNode = z.strictObject({
  type: z.literal('split'),
  ...base,
  experiment: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Expected an experiment id such as length-test'),
  branches: z.array(SplitBranch).min(2).max(5),
});

/** How the catalogue fills the recommendations (within the email's categories when it names some). */
export const Fill = z.enum(['bestselling', 'newest', 'lowest_price']);
export type Fill = z.infer<typeof Fill>;

export const Recommend = z.strictObject({
  products: ref(z.array(ListItem)).optional(),
  categories: ref(z.array(ListItem)).optional(),
  /** Also recommend from the categories of the order the enrollment is about (post-purchase). */
  fromOrder: z.boolean().default(false),
  /**
   * Fill from the store's catalogue (in stock, not bought). `choice`: as the choice the contact
   * clicked in an earlier email of the enrollment says (zero-party data), else best-sellers.
   */
  fill: z.union([Fill, z.literal('choice')]).optional(),
  skipPurchased: z.boolean().default(true),
  /** Skip the whole email when there is nothing left to recommend (checked again against the catalogue). */
  skipIfEmpty: z.boolean().default(false),
});
export type Recommend = z.infer<typeof Recommend>;

/** Extra merge fields by dotted template path (`path.title`, `milestone.orders`), editable as settings. */
export const MessageParams = z.record(
  z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$/),
  ref(z.union([Scalar, z.array(ListItem)])),
);
export type MessageParams = z.infer<typeof MessageParams>;

/** Links offered in the email; the clicked key comes back as message.clicked `linkKey`. */
export const Choice = z.strictObject({
  key: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  label: ref(z.string().min(1).max(100)),
  /** What a later email with `recommend.fill: 'choice'` shows to a contact who clicked this. */
  fill: Fill.optional(),
});
export type Choice = z.infer<typeof Choice>;

/**
 * How the send guardrails treat a message step. `priority`: when several sends wait for the same
 * free slot under a frequency cap the higher goes first, and `low` leaves the last slot of each
 * window to the others. `onCap`: a capped send waits for the next allowed slot or is dropped.
 * `transactional`: a reminder the contact's own action asked for (cart reminders); it is not
 * capped, not counted, may go on the same day as another flow and continues while the circuit
 * breaker pauses promotions. Suppression and paid-order exits still apply to it.
 */
const sendGuard = {
  priority: z.enum(['low', 'normal', 'high']).optional(),
  onCap: z.enum(['defer', 'skip']).optional(),
  transactional: z.boolean().optional(),
};

export const SendEmailNode = z.strictObject({
  type: z.literal('send_email'),
  ...base,
  ...sendGuard,
  template: ref(TemplateId),
  recommend: Recommend.optional(),
  choices: z.array(Choice).max(5).default([]),
  params: MessageParams.default({}),
  ...toggle,
  ...then,
});
export const SendSmsNode = z.strictObject({
  type: z.literal('send_sms'),
  ...base,
  ...sendGuard,
  template: ref(TemplateId),
  params: MessageParams.default({}),
  ...toggle,
  ...then,
});
export const OnsitePromptNode = z.strictObject({
  type: z.literal('onsite_prompt'),
  ...base,
  template: ref(TemplateId),
  ttl: DurationExpr.default('7d'),
  ...toggle,
  ...then,
});
export const AddToAudienceNode = z.strictObject({
  type: z.literal('add_to_audience'),
  ...base,
  audience: ref(z.string().min(1).max(64)),
  ...toggle,
  ...then,
});
export const IssueCouponNode = z.strictObject({
  type: z.literal('issue_coupon'),
  ...base,
  discountType: z.enum(['percent', 'fixed_cart']),
  amount: ref(z.number().positive()),
  validFor: DurationExpr.default('14d'),
  ...toggle,
  ...then,
});
export const SetTagNode = z.strictObject({
  type: z.literal('set_tag'),
  ...base,
  tag: ref(z.string().min(1).max(64)),
  remove: z.boolean().default(false),
  ...then,
});
export const SetPropertyNode = z.strictObject({
  type: z.literal('set_property'),
  ...base,
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.]{0,63}$/),
  /** A literal, a setting, or a value the enrollment saw (`{ context: 'link.key' }`: the clicked choice). */
  value: z.union([ref(Scalar), z.strictObject({ context: z.string().min(1).max(100) })]),
  ...then,
});
export const WebhookNode = z.strictObject({ type: z.literal('webhook'), ...base, url: ref(z.url()), ...toggle, ...then });
export const ExitNode = z.strictObject({ type: z.literal('exit'), ...base, reason: z.string().max(64).optional() });

export const FlowNode = z.discriminatedUnion('type', [
  TriggerNode,
  WaitNode,
  BranchNode,
  SplitNode,
  SendEmailNode,
  SendSmsNode,
  OnsitePromptNode,
  AddToAudienceNode,
  IssueCouponNode,
  SetTagNode,
  SetPropertyNode,
  WebhookNode,
  ExitNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeType = FlowNode['type'];
export type NodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;
