import { z } from 'zod';

/** A single-unit duration an admin can read and type: `30s`, `30m`, `1h`, `25d`. */
export const Duration = z.string().regex(/^\d{1,6}(s|m|h|d)$/, 'Expected a duration such as 30m, 1h or 25d');
export type Duration = z.infer<typeof Duration>;

/** Local wall-clock time, 24 h: `08:00`, `18:30`. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time such as 09:30');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** Locale-free template id owned by worker/messaging, e.g. `cart.reminder.1`. */
export const TemplateId = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'Expected a template id such as cart.reminder.1');
export type TemplateId = z.infer<typeof TemplateId>;

export const SettingKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/);
export type SettingKey = z.infer<typeof SettingKey>;

/** Where a node field says "use the flow setting named X" instead of a literal value. */
export const SettingRef = z.strictObject({ setting: SettingKey });
export type SettingRef = z.infer<typeof SettingRef>;

export const ListItem = z.union([z.string().max(200), z.number()]);
export type ListItem = z.infer<typeof ListItem>;

const labelled = {
  label: z.string().min(1).max(200),
  help: z.string().max(500).optional(),
};

/**
 * One admin-editable knob. The kind fixes what a PATCH may put in `value`, so a patched flow is
 * re-validated by parsing the setting again.
 */
export const FlowSetting = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('duration'), value: Duration, ...labelled }),
  z.strictObject({
    kind: z.literal('number'),
    value: z.number().finite(),
    min: z.number().optional(),
    max: z.number().optional(),
    ...labelled,
  }),
  z.strictObject({ kind: z.literal('template'), value: TemplateId, ...labelled }),
  z.strictObject({ kind: z.literal('channel'), value: z.enum(['email', 'sms', 'none']), ...labelled }),
  z.strictObject({ kind: z.literal('text'), value: z.string().max(500), ...labelled }),
  z.strictObject({ kind: z.literal('boolean'), value: z.boolean(), ...labelled }),
  z.strictObject({ kind: z.literal('time'), value: TimeOfDay, ...labelled }),
  z.strictObject({ kind: z.literal('list'), value: z.array(ListItem).max(200), ...labelled }),
]);
export type FlowSetting = z.infer<typeof FlowSetting>;
export type SettingKind = FlowSetting['kind'];

export const FlowSettings = z.record(SettingKey, FlowSetting);
export type FlowSettings = z.infer<typeof FlowSettings>;

/** A field that holds either a literal or a reference to a flow setting. */
export function ref<T extends z.ZodType>(literal: T) {
  return z.union([literal, SettingRef]);
}

export function isSettingRef(value: unknown): value is SettingRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'setting' in value;
}

/** Body of `PATCH /api/flows/:id` ({ settings }): new values by setting key. */
export const FlowSettingsPatch = z.record(SettingKey, z.union([z.string(), z.number(), z.boolean(), z.array(ListItem)]));
export type FlowSettingsPatch = z.infer<typeof FlowSettingsPatch>;

/** Which setting kinds each node field may reference; fields missing here cannot hold a reference. */
export const REF_FIELD_KINDS: Record<string, readonly SettingKind[]> = {
  duration: ['duration'],
  timeout: ['duration'],
  cooldown: ['duration'],
  within: ['duration'],
  validFor: ['duration'],
  ttl: ['duration'],
  fallback: ['duration'],
  minus: ['duration'],
  min: ['duration'],
  max: ['duration'],
  time: ['time'],
  template: ['template'],
  amount: ['number'],
  times: ['number'],
  enabled: ['boolean'],
  products: ['list'],
  categories: ['list'],
  tag: ['text'],
  label: ['text'],
  audience: ['text'],
  url: ['text'],
  segment: ['text'],
  channel: ['channel'],
  value: ['duration', 'number', 'template', 'channel', 'text', 'boolean', 'time', 'list'],
};
