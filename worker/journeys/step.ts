import type { StepResult } from './actions';
import { enrollFromTriggers } from './enroll';
import type { DomainEvent, StepInput } from './events';
import type { Flow } from './flow-schema';
import { fireTimer } from './interpreter';
import { migrateEnrollments } from './migrate';
import { applyExits, endIfDisabled, recordConversions, resumeWaits, updateContexts } from './on-event';
import { resolveDurationMs } from './resolve';
import type { Run } from './run';
import type { JourneyState } from './state';

/** How many recent domain event ids per flow are remembered to drop redeliveries. */
const SEEN_EVENTS = 50;

/**
 * Advances one contact's journeys in one flow by one event. Pure: the same inputs always give the
 * same state and actions; `now` is the only clock. Call it once per installed flow (enabled or
 * not) for a domain event, and only for the timer's flow for `timer.fired`.
 */
export function step(state: JourneyState, input: StepInput, now: number, flow: Flow): StepResult<JourneyState> {
  const run: Run = { state: structuredClone(state), flow, contact: input.contact, now, actions: [] };
  endIfDisabled(run);
  migrateEnrollments(run);
  const event = input.event;
  if (event.type === 'timer.fired') fireTimer(run, event.timerId);
  else if (firstDelivery(run, event)) onDomainEvent(run, event);
  pruneClosed(run);
  return { state: run.state, actions: run.actions };
}

/** Order matters: conversions are credited before exits close enrollments, and triggers come last. */
function onDomainEvent(run: Run, event: DomainEvent): void {
  updateContexts(run, event);
  recordConversions(run, event);
  applyExits(run, event);
  resumeWaits(run, event);
  if (run.flow.enabled) enrollFromTriggers(run, event);
}

function firstDelivery(run: Run, event: DomainEvent): boolean {
  const seen = (run.state.seen[run.flow.id] ??= []);
  if (seen.includes(event.id)) return false;
  seen.push(event.id);
  if (seen.length > SEEN_EVENTS) seen.splice(0, seen.length - SEEN_EVENTS);
  return true;
}

/** Finished enrollments are kept only while a late order could still count as their conversion. */
function pruneClosed(run: Run): void {
  const scope = { flow: run.flow, contact: run.contact, context: { coupons: [] } };
  const window = resolveDurationMs(scope, run.flow.goal.within);
  run.state.closed = run.state.closed.filter((c) => c.flowId !== run.flow.id || run.now - c.enteredAt <= window);
}
