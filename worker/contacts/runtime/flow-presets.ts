import type { Db } from '../../db/client';
import { activeEnrollmentContacts } from '../../db/queries/enrollments';
import { installFlows } from '../../db/queries/flows';
import { contactAgentName } from '../domain-events';
import { PRESETS } from '../../journeys/presets';

/**
 * Installs the shipped flows a store does not have yet, disabled. Called when a store is created
 * and lazily when its flows are listed, so stores created before a preset shipped get it too.
 */
export async function installPresetFlows(d: Db, storeId: string, now: number): Promise<void> {
  await installFlows(d, storeId, PRESETS, now);
}

/** How many agents one flow edit wakes directly; the rest migrate when their own timer or next event comes. */
const WAKE_LIMIT = 500;

/**
 * After a flow edit, wakes the agents with running enrollments in it so they move onto the new
 * version now (a shortened wait is re-based at once; a disabled flow ends its enrollments).
 */
export async function wakeFlowEnrollments(env: Env, d: Db, storeId: string, flowId: string, now: number): Promise<void> {
  const contacts = await activeEnrollmentContacts(d, storeId, flowId, WAKE_LIMIT);
  await Promise.all(contacts.map((id) => env.CONTACT_AGENT.getByName(contactAgentName(storeId, id)).runDue(now)));
}
