import type { DomainEvent } from './events';
import type { NodeOf } from './flow-nodes';
import { allHold, resolveDurationMs, type Scope } from './resolve';
import { contextFromEvent } from './enroll';
import { runFrom, waitDue } from './interpreter';
import { endEnrollment, newTimerId, nodeById, type Run } from './run';
import type { Enrollment } from './state';

function mine(run: Run): Enrollment[] {
  return run.state.active.filter((e) => e.flowId === run.flow.id);
}

function stillActive(run: Run, e: Enrollment): boolean {
  return run.state.active.some((x) => x.id === e.id);
}

/** The latest cart and the clicked link travel with the enrollment for later branches and messages. */
export function updateContexts(run: Run, event: DomainEvent): void {
  for (const e of mine(run)) {
    if (event.cart) e.context.cart = event.cart;
    const m = event.message;
    if (event.type === 'message.clicked' && m?.enrollmentId === e.id) {
      e.context.link = { key: m.linkKey, url: m.url, nodeId: m.nodeId };
    }
  }
}

/** Marks every enrollment that entered within the goal window, running or finished, as converted once. */
export function recordConversions(run: Run, event: DomainEvent): void {
  const goal = run.flow.goal;
  const scope: Scope = { flow: run.flow, contact: run.contact, context: contextFromEvent(event) };
  if (event.type !== goal.event || !allHold(scope, goal.where)) return;
  const window = resolveDurationMs(scope, goal.within);
  const candidates = [...mine(run), ...run.state.closed.filter((c) => c.flowId === run.flow.id)];
  for (const c of candidates) {
    if (c.converted || run.now - c.enteredAt > window) continue;
    c.converted = true;
    run.actions.push({
      type: 'journey_log',
      what: 'converted',
      flowId: c.flowId,
      flowVersion: c.flowVersion,
      enrollmentId: c.id,
      reason: event.id,
      at: run.now,
    });
  }
}

/** Exit events end enrollments in the same call, so a pending reminder can never fire after a purchase. */
export function applyExits(run: Run, event: DomainEvent): void {
  for (const e of mine(run)) {
    const context = { ...e.context, event: event.properties, order: event.order ?? e.context.order };
    const scope: Scope = { flow: run.flow, contact: run.contact, context };
    const hit = run.flow.exitOn.some((m) => m.event === event.type && allHold(scope, m.where));
    if (hit) endEnrollment(run, e, 'exited', `event:${event.type}`);
  }
}

function matchesWait(run: Run, e: Enrollment, until: Extract<NodeOf<'wait'>['until'], { kind: 'event' }>, event: DomainEvent) {
  if (event.type !== until.event && !until.orEvents?.includes(event.type)) return false;
  // `fromNode` names a message of this enrollment, so it only concerns message events.
  const aboutMessage = event.type.startsWith('message.');
  if (until.fromNode && aboutMessage && (event.message?.enrollmentId !== e.id || event.message.nodeId !== until.fromNode)) return false;
  const scope: Scope = { flow: run.flow, contact: run.contact, context: { ...e.context, event: event.properties } };
  return allHold(scope, until.where);
}

/** Event waits continue on their event; duration waits with `restartOn` start counting again. */
export function resumeWaits(run: Run, event: DomainEvent): void {
  for (const e of mine(run)) {
    if (!stillActive(run, e)) continue;
    const node = nodeById(run.flow, e.cursor);
    if (node?.type !== 'wait') continue;
    const until = node.until;
    if (until.kind === 'event' && matchesWait(run, e, until, event)) {
      e.timer = null;
      e.context.event = event.properties;
      runFrom(run, e, node.next);
    } else if (until.kind === 'duration' && until.restartOn.includes(event.type) && e.timer) {
      e.cursorAt = run.now;
      e.timer = { id: newTimerId(run, e), dueAt: waitDue(run, e, node), kind: 'wait' };
    }
  }
}

/** A disabled flow keeps nobody: enrollments leave at their next event or timer, silently. */
export function endIfDisabled(run: Run): void {
  if (run.flow.enabled) return;
  for (const e of mine(run)) endEnrollment(run, e, 'exited', 'flow_disabled');
}
