import { z } from 'zod';
import { Flow } from './flow-schema';
import { FlowSetting, FlowSettingsPatch, SettingKey } from './flow-settings';

/**
 * Body of `PATCH /api/flows/:id`. Settings are addressed by key (`{ "settings": { "cartIdle": "5s" } }`);
 * nodes are never patched directly, so a patch can only change what the flow exposes as a knob.
 */
export const FlowPatch = z.strictObject({
  enabled: z.boolean().optional(),
  /** The flow's holdout (0 turns it off); contacts already enrolled keep the group they had. */
  holdoutPercent: z.number().int().min(0).max(50).optional(),
  settings: FlowSettingsPatch.optional(),
});
export type FlowPatch = z.infer<typeof FlowPatch>;

export type PatchResult = { ok: true; flow: Flow } | { ok: false; problems: string[] };

/** Applies a patch and bumps the version; the caller stores the result as the flow's new live version. */
export function applyFlowPatch(flow: Flow, patch: FlowPatch): PatchResult {
  const problems: string[] = [];
  const settings = { ...flow.settings };
  for (const [key, value] of Object.entries(patch.settings ?? {})) {
    const current = settings[key];
    if (!current) {
      problems.push(`settings.${key}: unknown setting`);
      continue;
    }
    const parsed = FlowSetting.safeParse({ ...current, value });
    if (!parsed.success) {
      problems.push(`settings.${key}: ${parsed.error.issues.map((i) => i.message).join(', ')}`);
      continue;
    }
    const bound = outOfBounds(parsed.data);
    if (bound) problems.push(`settings.${key}: ${bound}`);
    else settings[key] = parsed.data;
  }
  if (problems.length > 0) return { ok: false, problems };
  const version = flow.version + 1;
  const enabled = patch.enabled ?? flow.enabled;
  const liveSince = enabled && !flow.enabled ? version : flow.liveSince;
  const holdoutPercent = patch.holdoutPercent ?? flow.holdoutPercent;
  const next = Flow.safeParse({ ...flow, settings, enabled, liveSince, version, holdoutPercent });
  if (!next.success) return { ok: false, problems: next.error.issues.map((i) => i.message) };
  return { ok: true, flow: next.data };
}

function outOfBounds(setting: FlowSetting): string | null {
  if (setting.kind !== 'number') return null;
  if (setting.min !== undefined && setting.value < setting.min) return `must be at least ${setting.min}`;
  if (setting.max !== undefined && setting.value > setting.max) return `must be at most ${setting.max}`;
  return null;
}

export type SettingListing = { key: SettingKey } & FlowSetting;

/** What `GET /api/flows` shows for each flow: every knob with its kind, label and current value. */
export function listSettings(flow: Flow): SettingListing[] {
  return Object.entries(flow.settings).map(([key, setting]) => ({ key, ...setting }));
}
