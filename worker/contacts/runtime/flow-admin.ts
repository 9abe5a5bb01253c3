import type { Db } from '../../db/client';
import { saveFlowVersion, type FlowRow } from '../../db/queries/flows';
import { AppError, badRequest, notFound } from '../../errors';
import { applyFlowPatch, listSettings, type FlowPatch } from '../../journeys/flow-patch';
import type { Flow } from '../../journeys/flow-schema';
import { installPresetFlows, wakeFlowEnrollments } from './flow-presets';

/** A flow as the admin sees it (API and dashboard): identity, state and every editable setting. */
export function describeFlow(row: FlowRow) {
  const f = row.definition;
  return {
    id: f.id,
    name: f.name,
    description: f.description,
    version: f.version,
    enabled: f.enabled,
    liveSince: f.liveSince,
    /** Flows stored before holdouts existed have none until their next version. */
    holdoutPercent: f.holdoutPercent ?? 0,
    updatedAt: row.updatedAt,
    settings: listSettings(f),
  };
}
export type FlowView = ReturnType<typeof describeFlow>;

/** The store's flows, installing shipped presets it does not have yet. */
export async function storeFlows(d: Db, storeId: string, now: number): Promise<FlowRow[]> {
  return installPresetFlows(d, storeId, now);
}

export async function requireFlow(d: Db, storeId: string, flowId: string, now: number): Promise<FlowRow> {
  const row = (await installPresetFlows(d, storeId, now)).find((f) => f.id === flowId);
  if (!row) throw notFound(`Flow ${flowId}`);
  return row;
}

export type FlowEdit = {
  patch: FlowPatch;
  /** The version the editor read; a different live version is a conflict instead of a blind overwrite. */
  expectedVersion?: number;
};

/** Another live version was saved since `row` was read: the editor reads the flow again rather than overwrite it. */
export const changedMeanwhile = (flowId: string) => new AppError(409, 'conflict', `Flow ${flowId} was changed meanwhile; read it again`);

/**
 * Stores `next` as the flow's live version if `row` is still the live one, and hands the wake-up of its running
 * enrollments to `defer` (the request's waitUntil), so they adopt the new version without delaying the answer.
 */
export async function saveLiveVersion(
  env: Env,
  d: Db,
  storeId: string,
  row: FlowRow,
  next: Flow,
  now: number,
  defer: (work: Promise<unknown>) => void,
): Promise<FlowRow> {
  if (!(await saveFlowVersion(d, storeId, next, row.version, now))) throw changedMeanwhile(row.id);
  defer(wakeFlowEnrollments(env, d, storeId, row.id, now));
  return requireFlow(d, storeId, row.id, now);
}

/** Saves a patched flow as its new live version (see saveLiveVersion). */
export async function editFlow(
  env: Env,
  d: Db,
  storeId: string,
  flowId: string,
  edit: FlowEdit,
  now: number,
  defer: (work: Promise<unknown>) => void,
): Promise<FlowRow> {
  const row = await requireFlow(d, storeId, flowId, now);
  if (edit.expectedVersion !== undefined && edit.expectedVersion !== row.version) throw changedMeanwhile(row.id);
  const result = applyFlowPatch(row.definition, edit.patch);
  if (!result.ok) throw badRequest(`Invalid flow patch: ${result.problems.join('; ')}`, { problems: result.problems });
  return saveLiveVersion(env, d, storeId, row, result.flow, now, defer);
}
