import { Flow, type FlowNode } from '../journeys/flow-schema';

/** Steps a challenger sequence may reuse: what the contact receives, and the coupon a later email may carry. */
const REUSABLE = ['send_email', 'send_sms', 'issue_coupon'] as const;
type Reusable = Extract<FlowNode, { type: (typeof REUSABLE)[number] }>;

export const MAX_CHALLENGER_STEPS = 8;

/** One step of the challenger: wait `waitBefore`, then do a copy of the shipped step `stepId`. */
export type ChallengerStep = { stepId: string; waitBefore: string };
export type SequenceTest = { experiment: string; steps: ChallengerStep[]; weights: [number, number] };
export type SequenceTestResult = { ok: true; flow: Flow } | { ok: false; problems: string[] };

export function reusableSteps(flow: Flow): Reusable[] {
  return flow.nodes.filter((n): n is Reusable => (REUSABLE as readonly string[]).includes(n.type));
}

/** The challenger's nodes with fresh ids (`b1_wait`, `b1_email_2`, ...); its last step ends the enrollment as completed. */
function challengerNodes(steps: ChallengerStep[], byId: Map<string, Reusable>): FlowNode[] {
  const nodes: FlowNode[] = [];
  steps.forEach((step, i) => {
    const { next: _shipped, ...source } = byId.get(step.stepId)!;
    const id = `b${i + 1}_${source.id}`.slice(0, 64);
    nodes.push({ type: 'wait', id: `b${i + 1}_wait`, until: { kind: 'duration', duration: step.waitBefore, since: 'step', restartOn: [] }, next: id });
    nodes.push(i + 1 < steps.length ? { ...source, id, next: `b${i + 2}_wait` } : { ...source, id });
  });
  return nodes;
}

/**
 * The flow with an A/B test of whole sequences right after its triggers: branch `a` is the flow as it was
 * (every trigger's first step), branch `b` a sequence built from the flow's own shipped steps, each after
 * its own wait (e.g. 3 emails over 5 days against 5 emails over 10 days). Assignment is by contact and
 * experiment (journeys/assignment.ts), so later versions keep everyone on their side.
 */
export function startSequenceTest(flow: Flow, test: SequenceTest): SequenceTestResult {
  if (flow.nodes.some((n) => n.type === 'split')) return { ok: false, problems: ['the flow already runs a test: end it first'] };
  // An ended test keeps its results under its name: a new test under the same name would mix with them.
  if (flow.concluded.some((c) => c.experiment === test.experiment)) return { ok: false, problems: [`experiment ${test.experiment} was already ended`] };
  const byId = new Map(reusableSteps(flow).map((n) => [n.id, n]));
  const unknown = test.steps.filter((s) => !byId.has(s.stepId)).map((s) => `unknown step ${s.stepId}`);
  if (unknown.length > 0) return { ok: false, problems: unknown };
  if (test.steps.length === 0 || test.steps.length > MAX_CHALLENGER_STEPS) return { ok: false, problems: [`branch b needs 1 to ${MAX_CHALLENGER_STEPS} steps`] };
  const triggers = flow.nodes.filter((n) => n.type === 'trigger');
  const entry = triggers[0]?.type === 'trigger' ? triggers[0].next : undefined;
  if (!entry) return { ok: false, problems: ['the flow has no trigger'] };
  const splitId = `split_${test.experiment}`.slice(0, 64);
  const split: FlowNode = {
    type: 'split',
    id: splitId,
    experiment: test.experiment,
    branches: [
      { key: 'a', weight: test.weights[0], next: entry },
      { key: 'b', weight: test.weights[1], next: 'b1_wait' },
    ],
  };
  // Triggers that led to the first step now lead to the split; a trigger with its own entry keeps it.
  const nodes = flow.nodes.map((n) => (n.type === 'trigger' && n.next === entry ? { ...n, next: splitId } : n));
  // customNodes: the shipped preset's next upgrade must not take the test away.
  const next = Flow.safeParse({ ...flow, version: flow.version + 1, customNodes: true, nodes: [...nodes, split, ...challengerNodes(test.steps, byId)] });
  if (!next.success) return { ok: false, problems: next.error.issues.map((i) => i.message) };
  return { ok: true, flow: next.data };
}
