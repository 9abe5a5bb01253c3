import { z } from 'zod';
import { FlowPatch, type SettingListing } from '../../journeys/flow-patch';
import type { FlowSettingsPatch, ListItem } from '../../journeys/flow-settings';
import { settingField } from '../../dashboard/views/flows';
import type { FormFields } from './context';

export const FlowFormHead = z.object({ version: z.coerce.number().int().min(1), enabled: z.literal('on').optional() });
export type FlowFormHead = z.infer<typeof FlowFormHead>;

export type FlowFormResult = { ok: true; patch: FlowPatch; expectedVersion: number } | { ok: false; problems: string[] };

function listValue(raw: string, current: ListItem[]): ListItem[] {
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const numeric = current.length > 0 && current.every((v) => typeof v === 'number');
  return numeric ? lines.map((l) => (Number.isFinite(Number(l)) ? Number(l) : l)) : lines;
}

/**
 * A form value in the setting's own type; a checkbox left unticked is absent from the form, i.e.
 * false. An empty or non-numeric number becomes NaN, which FlowPatch refuses.
 */
function valueOf(setting: SettingListing, raw: string | undefined): FlowSettingsPatch[string] | undefined {
  if (setting.kind === 'boolean') return raw === 'on';
  if (raw === undefined) return undefined;
  if (setting.kind === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (setting.kind === 'list') return listValue(raw, setting.value);
  return raw.trim();
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The flows form as the body `PATCH /api/flows/:id` takes: only the settings whose value changed,
 * so the same checks (applyFlowPatch) judge a dashboard edit and an API edit.
 */
export function flowPatchFromForm(form: FormFields, settings: SettingListing[]): FlowFormResult {
  const head = FlowFormHead.safeParse(form);
  if (!head.success) return { ok: false, problems: head.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const changed: FlowSettingsPatch = {};
  for (const setting of settings) {
    const value = valueOf(setting, form[settingField(setting.key)]);
    if (value !== undefined && !same(value, setting.value)) changed[setting.key] = value;
  }
  const patch = FlowPatch.safeParse({ enabled: head.data.enabled === 'on', settings: changed });
  if (!patch.success) return { ok: false, problems: patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, patch: patch.data, expectedVersion: head.data.version };
}
