import { requireFlow, type FlowView } from '../contacts/runtime/flow-admin';
import type { Db } from '../db/client';
import { badRequest, notFound } from '../errors';
import { endSplit } from '../journeys/experiment-end';
import { Flow } from '../journeys/flow-schema';
import { saveNextVersion } from './flow-definition';

/**
 * Ends a split test with the owner's winner: a new live version where the split is replaced by the winning
 * branch (see journeys/experiment-end.ts for what happens to contacts already on a branch). The agents with
 * running enrollments are woken through `defer`, so they adopt the version without delaying the answer.
 */
export async function endExperiment(
  env: Env,
  d: Db,
  storeId: string,
  flowId: string,
  ending: { experiment: string; winner: string },
  now: number,
  defer: (work: Promise<unknown>) => void,
): Promise<FlowView> {
  const row = await requireFlow(d, storeId, flowId, now);
  // Stored definitions from before a field existed lack its default; parse fills them in.
  const result = endSplit(Flow.parse(row.definition), ending.experiment, ending.winner, now);
  if (!result.ok) {
    if (result.code === 'unknown_experiment') throw notFound(`Experiment ${ending.experiment} of flow ${flowId}`);
    throw badRequest(result.problems.join('; '), { problems: result.problems });
  }
  return saveNextVersion(env, d, storeId, row, result.flow, now, defer);
}
