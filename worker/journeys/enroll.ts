import type { DomainEvent, OrderItem } from './events';
import type { NodeOf } from './flow-nodes';
import { allHold, resolveString, type Scope } from './resolve';
import { durationMs } from './time';
import { endEnrollment, log, type Run } from './run';
import { runFrom } from './interpreter';
import { inHoldout } from './assignment';
import type { Enrollment, EnrollmentContext } from './state';

type Trigger = NodeOf<'trigger'>;
type Entry = { key: string | null; context: EnrollmentContext };

export function contextFromEvent(event: DomainEvent): EnrollmentContext {
  return { cart: event.cart, order: event.order, event: event.properties, coupons: [] };
}

/** WooCommerce's one-click add-to-cart link for the same line, relative to the store's home. */
export function reorderPath(item: OrderItem): string {
  return `/?add-to-cart=${item.variationId ?? item.productId}&quantity=${item.quantity}`;
}

/** The enrollments this event would start through `trigger`: none, one, or one per order line. */
function entriesFor(run: Run, trigger: Trigger, event: DomainEvent): Entry[] {
  const on = trigger.on;
  const context = contextFromEvent(event);
  const scope: Scope = { flow: run.flow, contact: run.contact, context };
  switch (on.kind) {
    case 'event': {
      if (event.type !== on.event || !allHold(scope, on.where)) return [];
      const perItem = on.forEachItem;
      if (!perItem) return [{ key: null, context }];
      return (event.order?.items ?? [])
        .filter((item) => allHold({ ...scope, context: { ...context, item } }, perItem.where))
        .map((item) => ({ key: String(item.productId), context: { ...context, item, reorderPath: reorderPath(item) } }));
    }
    case 'date':
      return event.type === 'date.reached' && event.properties.field === on.field && allHold(scope, on.where)
        ? [{ key: null, context }]
        : [];
    case 'segment': {
      const wanted = on.change === 'entered' ? 'segment.entered' : 'segment.exited';
      const segment = resolveString(run.flow, on.segment);
      return event.type === wanted && event.properties.segment === segment ? [{ key: null, context }] : [];
    }
  }
}

/**
 * Applies the re-entry rule. The flow's rule counts entries and running enrollments across all its
 * triggers; a trigger's own rule counts only that trigger (a birthday next to a VIP path).
 */
function mayEnter(run: Run, trigger: Trigger, key: string | null): boolean {
  const { flow, state, now } = run;
  const rule = trigger.reentry ?? flow.reentry;
  const scoped = (triggerId: string) => trigger.reentry === undefined || triggerId === trigger.id;
  const history = Object.entries(state.history[flow.id] ?? {}).filter(([id]) => scoped(id));
  const lastAt = Math.max(-Infinity, ...history.map(([, h]) => h.lastAt));
  const running = state.active.find((e) => e.flowId === flow.id && scoped(e.triggerId) && e.key === key);
  if (rule.mode === 'once' && history.length > 0) return false;
  if (rule.cooldown && now - lastAt < durationMs(resolveString(flow, rule.cooldown))) return false;
  if (!running) return true;
  if (rule.mode !== 'restart') return false;
  endEnrollment(run, running, 'exited', 'restarted');
  return true;
}

function enroll(run: Run, trigger: Trigger, entry: Entry): void {
  const { state, flow, contact, now } = run;
  state.seq += 1;
  const e: Enrollment = {
    id: `${contact.id}:${flow.id}:${state.seq}`,
    flowId: flow.id,
    flowVersion: flow.version,
    triggerId: trigger.id,
    key: entry.key,
    enteredAt: now,
    cursor: trigger.id,
    cursorAt: now,
    timer: null,
    context: entry.context,
    done: [],
    converted: false,
    heldOut: inHoldout(contact.id, flow.id, flow.holdoutPercent),
  };
  state.active.push(e);
  const byTrigger = (state.history[flow.id] ??= {});
  byTrigger[trigger.id] = { count: (byTrigger[trigger.id]?.count ?? 0) + 1, lastAt: now };
  log(run, e, 'enrolled', { nodeId: trigger.id, ...(e.heldOut ? { heldOut: true } : {}) });
  runFrom(run, e, trigger.next);
}

export function enrollFromTriggers(run: Run, event: DomainEvent): void {
  for (const node of run.flow.nodes) {
    if (node.type !== 'trigger') continue;
    for (const entry of entriesFor(run, node, event)) {
      if (mayEnter(run, node, entry.key)) enroll(run, node, entry);
    }
  }
}
