import { z } from 'zod';
import { changedMeanwhile, describeFlow, requireFlow, saveLiveVersion, type FlowView } from '../contacts/runtime/flow-admin';
import type { Db } from '../db/client';
import type { FlowRow } from '../db/queries/flows';
import { badRequest } from '../errors';
import { Flow, type FlowNode } from '../journeys/flow-schema';

/**
 * Body of `PUT /api/flows/:id/definition`: a whole flow (nodes, splits with their branches and weights, goal...).
 * The server owns `version`, `liveSince`, `concluded` and `customNodes` (set: a shipped preset no longer replaces
 * these nodes), so what the body says of them is ignored.
 */
export const FlowDefinitionBody = z.strictObject({
  definition: z.record(z.string(), z.unknown()),
  /** The version the editor read; another live version is a conflict instead of a blind overwrite. */
  expectedVersion: z.number().int().positive().optional(),
});
export type FlowDefinitionBody = z.infer<typeof FlowDefinitionBody>;

export type DefinitionResult = { ok: true; flow: Flow } | { ok: false; problems: string[] };

type Split = Extract<FlowNode, { type: 'split' }>;
const splitsOf = (flow: Flow) => new Map(flow.nodes.filter((n): n is Split => n.type === 'split').map((n) => [n.experiment, n]));
const arms = (split: Split) => JSON.stringify(split.branches.map((b) => [b.key, b.weight]));

/**
 * Assignment hashes contact and experiment against the weights, so a running test keeps its branches and weights
 * from one version to the next (changing them would move contacts already counted); an ended test's name is
 * not reused, or its results would mix with the new test's.
 */
function experimentProblems(current: Flow, next: Flow): string[] {
  const running = splitsOf(current);
  const problems: string[] = [];
  for (const [experiment, split] of splitsOf(next)) {
    if (current.concluded.some((c) => c.experiment === experiment)) problems.push(`experiment ${experiment} was already ended: give the new test another name`);
    const before = running.get(experiment);
    if (before && arms(before) !== arms(split)) problems.push(`experiment ${experiment} is running: its branches and weights cannot change (end it and start another)`);
  }
  return problems;
}

/** The definition an owner sent, as the flow's next version, or why it is refused. */
export function nextDefinition(current: Flow, input: Record<string, unknown>): DefinitionResult {
  if (input.id !== undefined && input.id !== current.id) return { ok: false, problems: [`definition.id must be ${current.id}`] };
  const version = current.version + 1;
  const enabled = typeof input.enabled === 'boolean' ? input.enabled : current.enabled;
  const liveSince = enabled && !current.enabled ? version : current.liveSince;
  const parsed = Flow.safeParse({ ...input, id: current.id, version, liveSince, concluded: current.concluded, enabled, customNodes: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const problems = experimentProblems(current, parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flow: parsed.data };
}

/** Saves `next` as the flow's live version (saveLiveVersion) and answers with the flow as the admin sees it. */
export async function saveNextVersion(env: Env, d: Db, storeId: string, row: FlowRow, next: Flow, now: number, defer: (work: Promise<unknown>) => void): Promise<FlowView> {
  return describeFlow(await saveLiveVersion(env, d, storeId, row, next, now, defer));
}

/** `PUT /api/flows/:id/definition`: validates the whole flow and saves it as a new version. */
export async function saveDefinition(
  env: Env,
  d: Db,
  storeId: string,
  flowId: string,
  body: FlowDefinitionBody,
  now: number,
  defer: (work: Promise<unknown>) => void,
): Promise<FlowView> {
  const row = await requireFlow(d, storeId, flowId, now);
  if (body.expectedVersion !== undefined && body.expectedVersion !== row.version) throw changedMeanwhile(flowId);
  // Stored definitions from before a field existed lack its default; parse fills them in.
  const result = nextDefinition(Flow.parse(row.definition), body.definition);
  if (!result.ok) throw badRequest(`Invalid flow definition: ${result.problems.join('; ')}`, { problems: result.problems });
  return saveNextVersion(env, d, storeId, row, result.flow, now, defer);
}
