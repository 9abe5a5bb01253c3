import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { flows, flowVersions } from '../schema';
import type { Flow } from '../../journeys/flow-schema';

export type FlowRow = typeof flows.$inferSelect;

/** Installs the given flows for a store where missing (an installed flow is never overwritten). */
export async function installFlows(d: Db, storeId: string, defs: readonly Flow[], now: number): Promise<void> {
  if (defs.length === 0) return;
  const rows = defs.map((definition, position) => ({
    storeId,
    id: definition.id,
    version: definition.version,
    definition,
    enabled: definition.enabled,
    position,
    updatedAt: now,
  }));
  const versions = defs.map((definition) => ({ storeId, flowId: definition.id, version: definition.version, definition, createdAt: now }));
  await d.batch([
    d.insert(flows).values(rows).onConflictDoNothing(),
    d.insert(flowVersions).values(versions).onConflictDoNothing(),
  ]);
}

/** The live flows of a store in stepping order. */
export async function listFlows(d: Db, storeId: string): Promise<FlowRow[]> {
  return d.select().from(flows).where(eq(flows.storeId, storeId)).orderBy(asc(flows.position), asc(flows.id)).all();
}

export async function findFlow(d: Db, storeId: string, flowId: string): Promise<FlowRow | undefined> {
  return d.select().from(flows).where(and(eq(flows.storeId, storeId), eq(flows.id, flowId))).get();
}

/**
 * Stores `next` as the live version only if the live one is still `expectedVersion`, so two
 * concurrent edits cannot both win. Returns false when someone else saved first.
 */
export async function saveFlowVersion(d: Db, storeId: string, next: Flow, expectedVersion: number, now: number): Promise<boolean> {
  const updated = await d
    .update(flows)
    .set({ version: next.version, definition: next, enabled: next.enabled, updatedAt: now })
    .where(and(eq(flows.storeId, storeId), eq(flows.id, next.id), eq(flows.version, expectedVersion)))
    .returning({ id: flows.id })
    .get();
  if (!updated) return false;
  await d
    .insert(flowVersions)
    .values({ storeId, flowId: next.id, version: next.version, definition: next, createdAt: now })
    .onConflictDoNothing();
  return true;
}
