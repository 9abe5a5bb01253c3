import type { Db } from '../../db/client';
import { activeEnrollmentContacts } from '../../db/queries/enrollments';
import { installFlows, listFlows, saveFlowVersion, type FlowRow } from '../../db/queries/flows';
import { contactAgentName } from '../domain-events';
import { applyFlowPatch } from '../../journeys/flow-patch';
import type { Flow } from '../../journeys/flow-schema';
import { PRESETS } from '../../journeys/presets';

/**
 * Installs the shipped flows a store does not have yet, disabled, upgrades installed ones whose shipped
 * preset changed since, and returns the store's flows. Called when a store is created and lazily when its
 * flows are listed, so stores created before a preset shipped, or before a fix to it, get it too.
 */
export async function installPresetFlows(d: Db, storeId: string, now: number): Promise<FlowRow[]> {
  await installFlows(d, storeId, PRESETS, now);
  const rows = await listFlows(d, storeId);
  let upgraded = false;
  for (const preset of PRESETS) {
    const row = rows.find((r) => r.id === preset.id);
    const next = row && upgradedPreset(row.definition, preset);
    // A concurrent edit wins; the upgrade is tried again on the next listing.
    if (row && next) upgraded = (await saveFlowVersion(d, storeId, next, row.version, now)) || upgraded;
  }
  // The store's live flows in stepping order, read again only when an upgrade changed them.
  return upgraded ? listFlows(d, storeId) : rows;
}

/** What the shipped preset owns: everything but the owner's values, switches and version counters. */
function shippedShape(flow: Flow): string {
  const { version: _v, enabled: _e, liveSince: _l, holdoutPercent: _h, settings, ...rest } = flow;
  const kinds = Object.fromEntries(Object.entries(settings).map(([key, { value: _value, ...setting }]) => [key, setting]));
  return JSON.stringify({ ...rest, settings: kinds });
}

/**
 * The shipped preset as a new version of an installed flow whose nodes, triggers or knobs changed, with the
 * owner's switch and every setting value the new preset still accepts; null when nothing changed. Only
 * settings are editable (nodes never are), so nothing the owner wrote is lost. In-flight enrollments follow
 * the version policy of journeys/migrate.ts: same node id carries on, a node that is gone exits quietly.
 */
export function upgradedPreset(installed: Flow, preset: Flow): Flow | null {
  // The owner's own nodes (a split test of sequences, say) are theirs: the shipped ones never replace them.
  if (installed.customNodes || shippedShape(installed) === shippedShape(preset)) return null;
  const owned = { version: installed.version, enabled: installed.enabled, liveSince: installed.liveSince, holdoutPercent: installed.holdoutPercent ?? preset.holdoutPercent };
  const base = applyFlowPatch({ ...preset, ...owned }, {});
  if (!base.ok) return null;
  let flow = base.flow;
  for (const [key, setting] of Object.entries(installed.settings)) {
    const shipped = preset.settings[key];
    if (!shipped || shipped.kind !== setting.kind || JSON.stringify(shipped.value) === JSON.stringify(setting.value)) continue;
    const patched = applyFlowPatch({ ...flow, version: flow.version - 1 }, { settings: { [key]: setting.value } });
    if (patched.ok) flow = patched.flow;
  }
  return flow;
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
