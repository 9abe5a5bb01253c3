import { z } from 'zod';
import { Condition, DomainEventType, EventMatch, FlowNode, Reentry } from './flow-nodes';
import { Duration, FlowSettings, isSettingRef, ref, REF_FIELD_KINDS } from './flow-settings';

export * from './flow-nodes';
export * from './flow-settings';

export const FlowId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Expected a flow id such as abandoned-cart');
export type FlowId = z.infer<typeof FlowId>;

export const ConversionGoal = z.strictObject({
  event: DomainEventType,
  where: z.array(Condition).max(20).default([]),
  within: ref(Duration),
});
export type ConversionGoal = z.infer<typeof ConversionGoal>;

export const ConcludedExperiment = z.strictObject({
  experiment: z.string().min(1).max(64),
  winner: z.string().min(1).max(32),
  branches: z.array(z.string().min(1).max(32)).min(2).max(5),
  endedAt: z.number().int().nonnegative(),
});
export type ConcludedExperiment = z.infer<typeof ConcludedExperiment>;

/**
 * A journey definition. Every change (settings patch, enable, disable, edit) is saved as a new
 * `version`; step() migrates in-flight enrollments when it sees a version it did not run before.
 */
export const Flow = z
  .strictObject({
    schemaVersion: z.literal(1),
    id: FlowId,
    version: z.number().int().positive(),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    enabled: z.boolean().default(false),
    /** The version at which the flow was last switched on; older enrollments never resume. */
    liveSince: z.number().int().positive().default(1),
    settings: FlowSettings.default({}),
    /** What the flow is about, so a contact who mutes a topic in the preference centre is not mailed it. */
    topics: z.array(z.enum(['news', 'offers'])).max(2).default([]),
    /** Any of these ends every running enrollment of the flow (e.g. order.paid for a cart reminder). */
    exitOn: z.array(EventMatch).max(10).default([]),
    goal: ConversionGoal.default({ event: 'order.placed', where: [], within: '30d' }),
    reentry: Reentry.default({ mode: 'after_exit' }),
    /** Share of entrants (stable by contact and flow) who walk the flow silently, as the control group. */
    holdoutPercent: z.number().int().min(0).max(50).default(10),
    /** Split tests the owner ended: the winner replaced the split, the branches are kept for results. */
    concluded: z.array(ConcludedExperiment).max(50).default([]),
    /**
     * The owner saved the nodes themselves (a whole definition, or an A/B test of sequences): a newer shipped
     * preset no longer replaces them (contacts/runtime/flow-presets.ts), so the owner's test keeps running.
     */
    customNodes: z.boolean().default(false),
    nodes: z.array(FlowNode).min(2).max(100),
  })
  .superRefine((flow, ctx) => {
    for (const message of [...graphProblems(flow.nodes), ...settingRefProblems(flow)]) {
      ctx.addIssue({ code: 'custom', message, path: ['nodes'] });
    }
  });
export type Flow = z.infer<typeof Flow>;
/** What presets and admins write: defaults may be left out. */
export type FlowInput = z.input<typeof Flow>;

export function edgesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'branch':
      return [...node.cases.map((c) => c.next), ...(node.otherwise ? [node.otherwise] : [])];
    case 'split':
      return node.branches.map((b) => b.next);
    case 'wait':
      return [node.next, node.until.kind === 'event' ? node.until.onTimeout : undefined].filter(isString);
    case 'exit':
      return [];
    default:
      return node.next ? [node.next] : [];
  }
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

function graphProblems(nodes: FlowNode[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, FlowNode>();
  for (const node of nodes) {
    if (byId.has(node.id)) problems.push(`duplicate node id ${node.id}`);
    byId.set(node.id, node);
  }
  if (!nodes.some((n) => n.type === 'trigger')) problems.push('a flow needs at least one trigger node');
  problems.push(...splitProblems(nodes));
  for (const node of nodes) {
    for (const target of edgesOf(node)) {
      const to = byId.get(target);
      if (!to) problems.push(`${node.id} points to unknown node ${target}`);
      else if (to.type === 'trigger') problems.push(`${node.id} points to trigger ${target}`);
    }
    if (node.type === 'wait' && node.until.kind === 'event' && node.until.fromNode) {
      const from = byId.get(node.until.fromNode)?.type;
      if (from !== 'send_email' && from !== 'send_sms') {
        problems.push(`${node.id}.fromNode must name a send_email or send_sms node`);
      }
    }
  }
  if (problems.length === 0 && hasCycle(nodes, byId)) problems.push('nodes must not form a cycle');
  return problems;
}

/** An experiment id names one split of the flow, and a branch key one arm of it. */
function splitProblems(nodes: FlowNode[]): string[] {
  const problems: string[] = [];
  const experiments = new Set<string>();
  for (const node of nodes) {
    if (node.type !== 'split') continue;
    if (experiments.has(node.experiment)) problems.push(`experiment ${node.experiment} is used by two split nodes`);
    experiments.add(node.experiment);
    const keys = node.branches.map((b) => b.key);
    if (new Set(keys).size !== keys.length) problems.push(`${node.id} has two branches with the same key`);
  }
  return problems;
}

/** Acyclic flows terminate and make (enrollment, node) a sound idempotency key. */
function hasCycle(nodes: FlowNode[], byId: Map<string, FlowNode>): boolean {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): boolean => {
    const seen = state.get(id);
    if (seen === 'open') return true;
    if (seen === 'done') return false;
    state.set(id, 'open');
    const node = byId.get(id);
    const cyclic = node ? edgesOf(node).some(visit) : false;
    state.set(id, 'done');
    return cyclic;
  };
  return nodes.some((n) => visit(n.id));
}

type FlowShape = Pick<Flow, 'settings' | 'nodes' | 'exitOn' | 'goal' | 'reentry'>;

/** Every `{ setting }` must name a declared setting of a kind its field accepts. */
function settingRefProblems(flow: FlowShape): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, field: string, where: string): void => {
    if (isSettingRef(value)) {
      const setting = flow.settings[value.setting];
      const allowed = REF_FIELD_KINDS[field];
      if (!setting) problems.push(`${where}: unknown setting ${value.setting}`);
      else if (!allowed?.includes(setting.kind)) {
        problems.push(`${where}: setting ${value.setting} (${setting.kind}) cannot be used for ${field}`);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, field, `${where}.${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, field === 'params' ? 'value' : key, `${where}.${key}`);
    }
  };
  flow.nodes.forEach((node) => walk(node, 'node', node.id));
  walk(flow.exitOn, 'exitOn', 'exitOn');
  walk(flow.goal, 'goal', 'goal');
  walk(flow.reentry, 'reentry', 'reentry');
  return problems;
}
