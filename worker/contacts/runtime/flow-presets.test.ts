import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findFlow, installFlows, listFlows } from '../../db/queries/flows';
import { Flow } from '../../journeys/flow-schema';
import { presetById } from '../../journeys/presets';
import { installPresetFlows, upgradedPreset } from './flow-presets';

const d = () => db(env.DB);
const cart = presetById('abandoned-cart')!;
/** `flow` with one setting's value replaced (validated again by the schema). */
const withValue = (flow: Flow, key: string, value: unknown): Flow => Flow.parse({ ...flow, settings: { ...flow.settings, [key]: { ...flow.settings[key], value } } });

/** The cart flow as an older release shipped it: it left only on a paid order, and had one knob less. */
function olderCart(): Flow {
  const { incentiveEnabled: _dropped, ...settings } = cart.settings;
  return Flow.parse({ ...cart, exitOn: [{ event: 'order.paid', where: [] }], settings });
}

describe('upgrading installed presets', () => {
  it('brings an installed flow to the shipped preset, keeping the owner\'s values and switch', async () => {
    const installed = { ...withValue(olderCart(), 'idleDelay', '45m'), version: 4, enabled: true, liveSince: 3 };
    await installFlows(d(), 'up-a', [installed], 1);

    await installPresetFlows(d(), 'up-a', 2);

    const row = (await findFlow(d(), 'up-a', 'abandoned-cart'))!;
    expect(row.version).toBe(5);
    expect(row.definition.exitOn).toEqual(cart.exitOn);
    expect(row.definition.nodes).toEqual(cart.nodes);
    expect(row.definition.settings.idleDelay?.value).toBe('45m');
    expect(row.definition.settings.incentiveEnabled).toEqual(cart.settings.incentiveEnabled);
    expect([row.enabled, row.definition.liveSince]).toEqual([true, 3]);
  });

  it('changes nothing when the installed flow already matches, however its values were set', async () => {
    await installPresetFlows(d(), 'up-b', 1);
    const before = await listFlows(d(), 'up-b');
    await installPresetFlows(d(), 'up-b', 2);
    expect((await listFlows(d(), 'up-b')).map((f) => f.version)).toEqual(before.map((f) => f.version));
    expect(upgradedPreset(withValue(cart, 'idleDelay', '2h'), cart)).toBeNull();
  });

  it('falls back to the shipped value when the owner\'s value no longer fits the knob', () => {
    // A value stored by an older release that the knob now refuses: the shipped value replaces it.
    const older = olderCart();
    const installed = { ...older, settings: { ...older.settings, idleDelay: { kind: 'duration' as const, value: 'soon', label: 'x' } } };
    expect(upgradedPreset(installed, cart)?.settings.idleDelay?.value).toBe(cart.settings.idleDelay?.value);
  });

  it('keeps the owner\'s holdout through an upgrade, and an unchanged flow with another holdout is not upgraded', () => {
    const owned = { ...olderCart(), holdoutPercent: 0 };
    expect(upgradedPreset(owned, cart)?.holdoutPercent).toBe(0);
    expect(upgradedPreset({ ...cart, holdoutPercent: 25 }, cart)).toBeNull();
  });
});
