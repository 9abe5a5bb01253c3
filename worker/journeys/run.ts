import type { ActionOrigin, JourneyAction, JourneyLogAction } from './actions';
import type { ContactFacts } from './events';
import type { FlowNode } from './flow-nodes';
import type { Flow } from './flow-schema';
import type { Scope } from './resolve';
import type { Enrollment, JourneyState } from './state';

/** One step() call: a private copy of the state, the flow, and the actions produced so far. */
export type Run = { state: JourneyState; flow: Flow; contact: ContactFacts; now: number; actions: JourneyAction[] };

/** What a node tells the loop: go on to `next` (undefined = flow finished), rest here, or leave. */
export type Outcome = { kind: 'next'; next: string | undefined } | { kind: 'rest' } | { kind: 'end'; reason: string };

export function nodeById(flow: Flow, id: string): FlowNode | undefined {
  return flow.nodes.find((n) => n.id === id);
}

export function scopeOf(run: Run, e: Enrollment): Scope {
  return { flow: run.flow, contact: run.contact, context: e.context };
}

export function origin(run: Run, e: Enrollment, nodeId: string): ActionOrigin {
  return { idempotencyKey: `${e.id}:${nodeId}`, flowId: e.flowId, flowVersion: run.flow.version, enrollmentId: e.id, nodeId };
}

type LogExtra = Pick<JourneyLogAction, 'nodeId' | 'reason' | 'variant' | 'heldOut'>;

export function log(run: Run, e: Enrollment, what: JourneyLogAction['what'], extra: LogExtra = {}) {
  run.actions.push({ type: 'journey_log', what, flowId: e.flowId, flowVersion: e.flowVersion, enrollmentId: e.id, at: run.now, ...extra });
}

export function newTimerId(run: Run, e: Enrollment): string {
  run.state.seq += 1;
  return `${e.id}:t${run.state.seq}`;
}

export function endEnrollment(run: Run, e: Enrollment, what: 'completed' | 'exited', reason?: string): void {
  run.state.active = run.state.active.filter((x) => x.id !== e.id);
  e.timer = null;
  run.state.closed.push({
    id: e.id,
    flowId: e.flowId,
    flowVersion: e.flowVersion,
    enteredAt: e.enteredAt,
    endedAt: run.now,
    converted: e.converted,
  });
  log(run, e, what, reason ? { reason } : {});
}
