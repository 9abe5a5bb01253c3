import type { Db } from '../db/client';
import { installFlows } from '../db/queries/flows';
import { PRESETS } from '../journeys/presets';

/**
 * Installs the shipped flows a store does not have yet, disabled. Called when a store is created
 * and lazily when its flows are listed, so stores created before a preset shipped get it too.
 */
export async function installPresetFlows(d: Db, storeId: string, now: number): Promise<void> {
  await installFlows(d, storeId, PRESETS, now);
}
