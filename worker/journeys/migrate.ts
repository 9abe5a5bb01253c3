import type { FlowNode } from './flow-nodes';
import { waitDue } from './interpreter';
import { endEnrollment, log, nodeById, type Run } from './run';
import type { Enrollment, Timer } from './state';

/** Whether the node with the enrollment's cursor id in the new version can hold its timer. */
function compatible(node: FlowNode | undefined, timer: Timer | null): boolean {
  if (!node || !timer) return false;
  if (timer.kind === 'quiet_hours') return node.type === 'send_sms';
  if (node.type !== 'wait') return false;
  return timer.kind === 'timeout' ? node.until.kind === 'event' : node.until.kind !== 'event';
}

/**
 * Version policy: an in-flight enrollment moves to the new version at the node with the same id.
 * Its pending timer is re-based on now: it keeps what was left of the wait, shortened when the new
 * setting is shorter, never lengthened, and never earlier than now. A timer that is already due
 * therefore fires once, at most, and later waits count from then. When the node is gone or has
 * changed kind, the enrollment exits without acting.
 */
function migrateOne(run: Run, e: Enrollment): void {
  const node = nodeById(run.flow, e.cursor);
  if (!compatible(node, e.timer)) return endEnrollment(run, e, 'exited', 'flow_changed');
  const from = e.flowVersion;
  e.flowVersion = run.flow.version;
  if (node?.type === 'wait' && e.timer) {
    const fresh = waitDue(run, e, node);
    e.timer.dueAt = Math.max(run.now, Math.min(e.timer.dueAt, fresh));
  }
  log(run, e, 'migrated', { nodeId: e.cursor, reason: `from_version:${from}` });
}

/**
 * Re-enable policy: enrollments from before the flow was last switched on leave silently, whether
 * or not anything touched them while it was off, so turning a flow back on never replays old steps.
 */
export function migrateEnrollments(run: Run): void {
  for (const e of run.state.active) {
    if (e.flowId !== run.flow.id || e.flowVersion === run.flow.version) continue;
    if (e.flowVersion < run.flow.liveSince) endEnrollment(run, e, 'exited', 'flow_reenabled');
    else migrateOne(run, e);
  }
}
