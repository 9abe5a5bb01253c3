import type { StepResult } from './actions';
import type { JourneyState } from './state';

/**
 * Ends every running enrollment of the contact at once, in every flow, with `reason` (the WordPress account was
 * deleted, the contact was merged into another). Pure, like step(): the caller persists the state, whose empty
 * timer list removes every pending reminder, and logs the exits. Entry history is kept, so re-entry rules still
 * know what the contact went through.
 */
export function exitAllEnrollments(state: JourneyState, now: number, reason: string): StepResult<JourneyState> {
  const next = structuredClone(state);
  const ended = next.active;
  next.active = [];
  next.closed.push(
    ...ended.map((e) => ({ id: e.id, flowId: e.flowId, flowVersion: e.flowVersion, enteredAt: e.enteredAt, endedAt: now, converted: e.converted })),
  );
  const actions = ended.map((e) => ({
    type: 'journey_log' as const,
    what: 'exited' as const,
    flowId: e.flowId,
    flowVersion: e.flowVersion,
    enrollmentId: e.id,
    reason,
    at: now,
  }));
  return { state: next, actions };
}
