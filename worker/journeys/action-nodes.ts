import { assertNever, type JourneyAction, type MessageParamValues, type SendGuard } from './actions';
import type { Scalar } from './events';
import type { Choice, Fill, NodeOf } from './flow-nodes';
import type { SettingRef } from './flow-settings';
import { readPath, resolve, resolveDurationMs, resolveEnabled, resolveList, resolveNumber, resolveString } from './resolve';
import { log, newTimerId, nodeById, origin, scopeOf, type Outcome, type Run } from './run';
import type { Enrollment } from './state';
import { smsDeferredUntil } from './time';

type ActionNode = NodeOf<
  'send_email' | 'send_sms' | 'onsite_prompt' | 'add_to_audience' | 'issue_coupon' | 'set_tag' | 'set_property' | 'webhook'
>;

/**
 * What a held-out contact never gets: anything that reaches them or a third party about them. Tags and
 * properties still change, so later conditions of the flow see the same contact as the treated group.
 */
const REACHES_OUT: ReadonlySet<ActionNode['type']> = new Set(['send_email', 'send_sms', 'onsite_prompt', 'add_to_audience', 'issue_coupon', 'webhook']);

/** Runs a node that produces one action; a node already done for this enrollment never acts twice. */
export function runActionNode(run: Run, e: Enrollment, node: ActionNode): Outcome {
  const next: Outcome = { kind: 'next', next: node.next };
  if (e.done.includes(node.id)) return next;
  if ('enabled' in node && !resolveEnabled(run.flow, node.enabled)) return skip(run, e, node, 'disabled');
  if (e.heldOut && REACHES_OUT.has(node.type)) return skip(run, e, node, 'held_out');
  const o = origin(run, e, node.id);
  const text = (value: string | SettingRef) => resolveString(run.flow, value);
  switch (node.type) {
    case 'send_email':
      return sendEmail(run, e, node);
    case 'send_sms':
      return sendSms(run, e, node);
    case 'onsite_prompt': {
      const expiresAt = run.now + resolveDurationMs(scopeOf(run, e), node.ttl);
      return emit(run, e, node, { ...o, type: 'show_prompt', template: text(node.template), context: snapshot(e), expiresAt });
    }
    case 'add_to_audience':
      return emit(run, e, node, { ...o, type: 'add_to_audience', audience: text(node.audience) });
    case 'issue_coupon':
      return issueCoupon(run, e, node);
    case 'set_tag':
      return emit(run, e, node, { ...o, type: 'set_tag', tag: text(node.tag), remove: node.remove });
    case 'set_property':
      return emit(run, e, node, { ...o, type: 'set_property', key: node.key, value: propertyValue(run, e, node) });
    case 'webhook':
      return emit(run, e, node, { ...o, type: 'call_webhook', url: text(node.url), context: snapshot(e) });
    default:
      return assertNever(node);
  }
}

function emit(run: Run, e: Enrollment, node: ActionNode, action: JourneyAction): Outcome {
  run.actions.push(action);
  e.done.push(node.id);
  return { kind: 'next', next: node.next };
}

function skip(run: Run, e: Enrollment, node: ActionNode, reason: string): Outcome {
  log(run, e, 'skipped', { nodeId: node.id, reason });
  return { kind: 'next', next: node.next };
}

/** Actions carry a copy: later context changes must not rewrite what a queued message says. */
function snapshot(e: Enrollment) {
  return structuredClone(e.context);
}

function asScalar(value: unknown): Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

function propertyValue(run: Run, e: Enrollment, node: NodeOf<'set_property'>): Scalar {
  const v = node.value;
  if (typeof v === 'object' && 'context' in v) return asScalar(readPath(e.context, v.context));
  return asScalar(resolve(run.flow, v));
}

function params(run: Run, node: NodeOf<'send_email' | 'send_sms'>): MessageParamValues {
  const out: MessageParamValues = {};
  for (const [key, value] of Object.entries(node.params)) {
    const v = resolve(run.flow, value);
    out[key] = Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number') : asScalar(v);
  }
  return out;
}

function triggerEvent(run: Run, e: Enrollment): string | null {
  const trigger = nodeById(run.flow, e.triggerId);
  if (trigger?.type !== 'trigger') return null;
  const on = trigger.on;
  if (on.kind === 'event') return on.event;
  return on.kind === 'date' ? 'date.reached' : `segment.${on.change}`;
}

function guardOf(run: Run, e: Enrollment, node: NodeOf<'send_email' | 'send_sms'>): SendGuard {
  return {
    priority: node.priority ?? 'normal',
    onCap: node.onCap ?? 'defer',
    transactional: node.transactional ?? false,
    enteredAt: e.enteredAt,
    trigger: triggerEvent(run, e),
    topics: run.flow.topics,
  };
}

/** The choice of an earlier email that the contact clicked in this enrollment, if any. */
function clickedChoice(run: Run, e: Enrollment): Choice | undefined {
  const link = e.context.link;
  const node = link?.key ? nodeById(run.flow, link.nodeId) : undefined;
  return node?.type === 'send_email' ? node.choices.find((c) => c.key === link?.key) : undefined;
}

/** What the email recommends: configured products and categories, the order's categories, a catalogue fill. */
function recommendation(run: Run, e: Enrollment, rec: NodeOf<'send_email'>['recommend']) {
  const bought = new Set(run.contact.purchasedProductIds);
  const listed = resolveList(run.flow, rec?.products).map(Number).filter(Number.isInteger);
  const products = listed.filter((id) => !(rec?.skipPurchased && bought.has(id)));
  const configured = resolveList(run.flow, rec?.categories).map(Number).filter(Number.isInteger);
  // The order's categories stand in only for a step the owner left unconfigured.
  const useOrder = rec?.fromOrder && listed.length === 0 && configured.length === 0;
  const fromOrder = useOrder ? (e.context.order?.categoryIds ?? []) : [];
  const categories = [...new Set([...configured, ...fromOrder])];
  const choice = rec?.fill === 'choice' ? clickedChoice(run, e) : undefined;
  const fill: Fill | undefined = rec?.fill === 'choice' ? (choice?.fill ?? 'bestselling') : (rec?.fill ?? (useOrder ? 'bestselling' : undefined));
  const selection = choice ? resolveString(run.flow, choice.label) : undefined;
  // Later emails of the enrollment move on to the next products instead of repeating the first ones.
  const page = e.done.filter((id) => {
    const n = nodeById(run.flow, id);
    return n?.type === 'send_email' && (n.recommend?.fill !== undefined || n.recommend?.fromOrder === true);
  }).length;
  return { products, categories, ...(fill ? { fill } : {}), ...(fill && page > 0 ? { fillPage: page } : {}), ...(selection ? { selection } : {}) };
}

function sendEmail(run: Run, e: Enrollment, node: NodeOf<'send_email'>): Outcome {
  if (!run.contact.reachable.email) return skip(run, e, node, 'unreachable');
  const rec = node.recommend;
  const picked = recommendation(run, e, rec);
  if (rec?.skipIfEmpty && picked.products.length === 0 && picked.categories.length === 0 && !picked.fill) {
    return skip(run, e, node, 'nothing_to_recommend');
  }
  const template = resolveString(run.flow, node.template);
  const choices = node.choices.map((c) => ({ key: c.key, label: resolveString(run.flow, c.label) }));
  return emit(run, e, node, {
    ...origin(run, e, node.id),
    type: 'send_email',
    guard: guardOf(run, e, node),
    template,
    context: snapshot(e),
    params: params(run, node),
    choices,
    ...picked,
    ...(rec?.skipIfEmpty ? { skipIfEmpty: true } : {}),
  });
}

/** Outside the store's SMS window (contact's clock) the SMS waits on this node for the next opening instead of being dropped. */
function sendSms(run: Run, e: Enrollment, node: NodeOf<'send_sms'>): Outcome {
  if (!run.contact.reachable.sms) return skip(run, e, node, 'no_sms_consent');
  const deferredUntil = smsDeferredUntil(run.now, run.contact.timezone, run.contact.smsWindow);
  if (deferredUntil !== null) {
    e.cursor = node.id;
    e.cursorAt = run.now;
    e.timer = { id: newTimerId(run, e), dueAt: deferredUntil, kind: 'quiet_hours' };
    log(run, e, 'deferred', { nodeId: node.id, reason: 'quiet_hours' });
    return { kind: 'rest' };
  }
  const template = resolveString(run.flow, node.template);
  const action = { ...origin(run, e, node.id), type: 'send_sms' as const, guard: guardOf(run, e, node), template, context: snapshot(e), params: params(run, node) };
  return emit(run, e, node, action);
}

function issueCoupon(run: Run, e: Enrollment, node: NodeOf<'issue_coupon'>): Outcome {
  const base = origin(run, e, node.id);
  e.context.coupons.push(base.idempotencyKey);
  return emit(run, e, node, {
    ...base,
    type: 'issue_coupon',
    discountType: node.discountType,
    amount: resolveNumber(run.flow, node.amount),
    expiresAt: run.now + resolveDurationMs(scopeOf(run, e), node.validFor),
  });
}
