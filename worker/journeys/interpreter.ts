import { assertNever } from './actions';
import type { FlowNode, NodeOf } from './flow-nodes';
import { allHold, resolveDurationMs, resolveString } from './resolve';
import { pickBranch } from './assignment';
import { runActionNode } from './action-nodes';
import { endEnrollment, log, newTimerId, nodeById, scopeOf, type Outcome, type Run } from './run';
import type { Enrollment } from './state';
import { nextLocalTime } from './time';

/** Walks the graph from `nodeId` until the enrollment rests on a wait or leaves the flow. */
export function runFrom(run: Run, e: Enrollment, nodeId: string | undefined): void {
  let id = nodeId;
  for (let guard = 0; guard <= run.flow.nodes.length; guard++) {
    if (id === undefined) return endEnrollment(run, e, 'completed');
    const node = nodeById(run.flow, id);
    if (!node) return endEnrollment(run, e, 'exited', 'missing_node');
    const outcome = execute(run, e, node);
    if (outcome.kind === 'rest') return;
    if (outcome.kind === 'end') return endEnrollment(run, e, 'exited', outcome.reason);
    id = outcome.next;
  }
  endEnrollment(run, e, 'exited', 'too_many_steps');
}

function execute(run: Run, e: Enrollment, node: FlowNode): Outcome {
  switch (node.type) {
    case 'trigger':
      return { kind: 'next', next: node.next };
    case 'wait':
      return enterWait(run, e, node);
    case 'branch':
      return { kind: 'next', next: chooseBranch(run, e, node) };
    case 'split':
      return { kind: 'next', next: assignBranch(run, e, node) };
    case 'exit':
      return { kind: 'end', reason: node.reason ?? 'exit_node' };
    case 'send_email':
    case 'send_sms':
    case 'onsite_prompt':
    case 'add_to_audience':
    case 'issue_coupon':
    case 'set_tag':
    case 'set_property':
    case 'webhook':
      return runActionNode(run, e, node);
    default:
      return assertNever(node);
  }
}

function chooseBranch(run: Run, e: Enrollment, node: NodeOf<'branch'>): string | undefined {
  const scope = scopeOf(run, e);
  return node.cases.find((c) => allHold(scope, c.when))?.next ?? node.otherwise;
}

/** Held-out contacts are assigned too: the branch they would have had is walked silently. */
function assignBranch(run: Run, e: Enrollment, node: NodeOf<'split'>): string {
  const branch = pickBranch(run.contact.id, run.flow.id, node.experiment, node.branches);
  e.variant = branch.key;
  log(run, e, 'assigned', { nodeId: node.id, reason: node.experiment, variant: branch.key });
  return branch.next;
}

/** When the wait at `node` ends if nothing else happens, computed from `run.now`. */
export function waitDue(run: Run, e: Enrollment, node: NodeOf<'wait'>): number {
  const until = node.until;
  switch (until.kind) {
    case 'duration': {
      const ms = resolveDurationMs(scopeOf(run, e), until.duration);
      return (until.since === 'enrollment' ? e.enteredAt : run.now) + ms;
    }
    case 'time_of_day':
      return nextLocalTime(run.now, resolveString(run.flow, until.time), run.contact.timezone);
    case 'event':
      return run.now + resolveDurationMs(scopeOf(run, e), until.timeout);
    default:
      return assertNever(until);
  }
}

function enterWait(run: Run, e: Enrollment, node: NodeOf<'wait'>): Outcome {
  const dueAt = waitDue(run, e, node);
  if (dueAt <= run.now && node.until.kind !== 'event') return { kind: 'next', next: node.next };
  e.cursor = node.id;
  e.cursorAt = run.now;
  e.timer = { id: newTimerId(run, e), dueAt, kind: node.until.kind === 'event' ? 'timeout' : 'wait' };
  return { kind: 'rest' };
}

/** An alarm for `timerId`: unknown, stale or early timers change nothing, so alarms may repeat. */
export function fireTimer(run: Run, timerId: string): void {
  const e = run.state.active.find((x) => x.flowId === run.flow.id && x.timer?.id === timerId);
  if (!e?.timer || e.timer.dueAt > run.now) return;
  const kind = e.timer.kind;
  e.timer = null;
  if (kind === 'quiet_hours') return runFrom(run, e, e.cursor);
  const node = nodeById(run.flow, e.cursor);
  if (node?.type !== 'wait') return endEnrollment(run, e, 'exited', 'missing_node');
  runFrom(run, e, node.until.kind === 'event' ? node.until.onTimeout : node.next);
}
