import { z } from 'zod';
import { FlowPatch, type SettingListing } from '../../journeys/flow-patch';
import { TemplateId, type FlowSettingsPatch, type ListItem } from '../../journeys/flow-settings';
import type { DashboardCopy, Lang } from '../../dashboard/copy';
import { parseDuration } from '../../dashboard/i18n/duration';
import { formatNumber } from '../../dashboard/i18n/format';
import { settingField } from '../../dashboard/views/flows';
import type { FormFields } from './context';

export const FlowFormHead = z.object({ version: z.coerce.number().int().min(1), enabled: z.literal('on').optional() });
export type FlowFormHead = z.infer<typeof FlowFormHead>;

/** Refusals by setting key, worded for the admin and shown next to the field. */
export type FieldErrors = Record<string, string[]>;
export type FlowFormResult = { ok: true; patch: FlowPatch; expectedVersion: number } | { ok: false; fieldErrors: FieldErrors; problems: string[] };

type Value = FlowSettingsPatch[string];
type Read = { value: Value } | { error: string };

const MAX_TEXT = 500;
const MAX_LIST = 200;

/** "1,5", "1.5", "1 000": an owner types numbers the way their language writes them. */
export function parseLocaleNumber(raw: string): number | null {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(compact) ? Number(compact) : null;
}

/** "9:30", "09:30", "9 h 30", "9h" → `09:30`. */
export function parseTimeOfDay(raw: string): string | null {
  const m = /^(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?$/i.exec(raw.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2] ?? '0')];
  return h <= 23 && min <= 59 ? `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` : null;
}

function readNumber(setting: Extract<SettingListing, { kind: 'number' }>, raw: string, t: DashboardCopy, lang: Lang): Read {
  const n = parseLocaleNumber(raw);
  if (n === null) return { error: t.flows.field.number };
  if (setting.min !== undefined && n < setting.min) return { error: t.flows.field.min(formatNumber(lang, setting.min)) };
  if (setting.max !== undefined && n > setting.max) return { error: t.flows.field.max(formatNumber(lang, setting.max)) };
  return { value: n };
}

function readList(raw: string, current: ListItem[], t: DashboardCopy): Read {
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > MAX_LIST || lines.some((l) => l.length > 200)) return { error: t.flows.field.list(MAX_LIST) };
  const numeric = current.length > 0 && current.every((v) => typeof v === 'number');
  return { value: numeric ? lines.map((l) => parseLocaleNumber(l) ?? l) : lines };
}

/** A form value in the setting's own type, or why it is refused; a checkbox left unticked is absent from the form, i.e. false. */
function readSetting(setting: SettingListing, raw: string | undefined, t: DashboardCopy, lang: Lang): Read | undefined {
  if (setting.kind === 'boolean') return { value: raw === 'on' };
  if (raw === undefined) return undefined;
  const f = t.flows.field;
  switch (setting.kind) {
    case 'number':
      return readNumber(setting, raw, t, lang);
    case 'duration': {
      const d = parseDuration(raw);
      return d.ok ? { value: d.value } : { error: f.duration[d.problem] };
    }
    case 'time': {
      const time = parseTimeOfDay(raw);
      return time ? { value: time } : { error: f.time };
    }
    case 'template':
      return TemplateId.safeParse(raw.trim()).success ? { value: raw.trim() } : { error: f.template };
    case 'channel':
      return ['email', 'sms', 'none'].includes(raw) ? { value: raw } : { error: f.channel };
    case 'list':
      return readList(raw, setting.value, t);
    case 'text':
      return raw.trim().length <= MAX_TEXT ? { value: raw.trim() } : { error: f.text(MAX_TEXT) };
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The flows form as the body `PATCH /api/flows/:id` takes: only the settings whose value changed,
 * so the same checks (applyFlowPatch) judge a dashboard edit and an API edit. Each value is read
 * in the admin's language first, so a refusal names its field in words the admin reads.
 */
export function flowPatchFromForm(form: FormFields, settings: SettingListing[], t: DashboardCopy, lang: Lang): FlowFormResult {
  const head = FlowFormHead.safeParse(form);
  if (!head.success) return { ok: false, fieldErrors: {}, problems: [t.errors.conflict] };
  const changed: FlowSettingsPatch = {};
  const fieldErrors: FieldErrors = {};
  for (const setting of settings) {
    const read = readSetting(setting, form[settingField(setting.key)], t, lang);
    if (read === undefined) continue;
    if ('error' in read) fieldErrors[setting.key] = [read.error];
    else if (!same(read.value, setting.value)) changed[setting.key] = read.value;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, problems: [] };
  const patch = FlowPatch.safeParse({ enabled: head.data.enabled === 'on', settings: changed });
  if (!patch.success) return { ok: false, fieldErrors: {}, problems: patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, patch: patch.data, expectedVersion: head.data.version };
}
