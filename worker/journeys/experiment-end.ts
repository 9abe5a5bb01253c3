import { Flow, type FlowNode } from './flow-schema';

export type EndSplitResult =
  | { ok: true; flow: Flow }
  | { ok: false; code: 'unknown_experiment' | 'unknown_branch' | 'invalid'; problems: string[] };

/** The same node with every edge to `from` pointing at `to` instead. */
function retarget(node: FlowNode, from: string, to: string): FlowNode {
  const swap = (id: string | undefined) => (id === from ? to : id);
  switch (node.type) {
    case 'exit':
      return node;
    case 'split':
      return { ...node, branches: node.branches.map((b) => ({ ...b, next: swap(b.next)! })) };
    case 'branch': {
      const otherwise = swap(node.otherwise);
      return { ...node, cases: node.cases.map((c) => ({ ...c, next: swap(c.next)! })), ...(otherwise ? { otherwise } : {}) };
    }
    case 'wait': {
      const until = node.until.kind === 'event' && node.until.onTimeout === from ? { ...node.until, onTimeout: to } : node.until;
      return { ...node, until, ...(node.next ? { next: swap(node.next) } : {}) };
    }
    case 'trigger':
      return { ...node, next: swap(node.next)! };
    default:
      return node.next ? { ...node, next: swap(node.next) } : node;
  }
}

/**
 * Ends a split test: a new version of the flow in which every edge into the split goes straight to the
 * winning branch, so every new arrival takes it. Policy for enrollments already past the split: they
 * finish the branch they are on. The losing branches' nodes stay in the new version (no edge leads to
 * them any more), so the version migration finds each resting enrollment's node and carries on; moving a
 * contact halfway into another sequence would send a muddle of both. The test is recorded in
 * `concluded` so its results stay readable.
 */
export function endSplit(flow: Flow, experiment: string, winner: string, now: number): EndSplitResult {
  const split = flow.nodes.find((n): n is Extract<FlowNode, { type: 'split' }> => n.type === 'split' && n.experiment === experiment);
  if (!split) return { ok: false, code: 'unknown_experiment', problems: [`Flow ${flow.id} has no running experiment ${experiment}`] };
  const branch = split.branches.find((b) => b.key === winner);
  if (!branch) {
    const keys = split.branches.map((b) => b.key).join(', ');
    return { ok: false, code: 'unknown_branch', problems: [`Experiment ${experiment} has no branch ${winner} (branches: ${keys})`] };
  }
  const nodes = flow.nodes.filter((n) => n.id !== split.id).map((n) => retarget(n, split.id, branch.next));
  const concluded = [...flow.concluded, { experiment, winner, branches: split.branches.map((b) => b.key), endedAt: now }];
  const next = Flow.safeParse({ ...flow, nodes, concluded, version: flow.version + 1 });
  if (!next.success) return { ok: false, code: 'invalid', problems: next.error.issues.map((i) => i.message) };
  return { ok: true, flow: next.data };
}
