import type { z } from 'zod';
import type { WidgetField } from '../dashboard/copy-widgets';
import type { Widget } from '../db/queries/widgets';
import { WidgetConfig, WidgetInput } from './config';

export type WidgetFormValues = Partial<Record<WidgetField, string>>;
type Lang = 'fr' | 'en';
const COPY_KEYS = ['title', 'body', 'submit', 'thanks', 'consentEmail', 'consentSms'] as const;
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const key = (lang: Lang, k: (typeof COPY_KEYS)[number]) => `${lang}${cap(k)}` as WidgetField;
const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v.replace(',', '.')));
const on = (v: string | undefined) => v === 'on';
const list = (v: string | undefined) => (v ?? '').split(',').map((p) => p.trim()).filter(Boolean);

/** The dashboard form, read into the API's own body: one schema (WidgetInput) for both. */
export function widgetBodyFromForm(f: WidgetFormValues): unknown {
  const copy = (lang: Lang) => Object.fromEntries(COPY_KEYS.map((k) => [k, f[key(lang, k)] ?? '']));
  const percent = num(f.incentivePercent);
  return {
    kind: f.kind,
    enabled: on(f.enabled),
    config: {
      copy: { fr: copy('fr'), en: copy('en') },
      incentive: percent === undefined ? null : { discountType: 'percent', amount: percent, expiryDays: num(f.incentiveDays) ?? 30 },
      fields: { phone: on(f.phone), birthday: on(f.birthday) },
      triggers: {
        delaySeconds: num(f.delaySeconds) ?? 0,
        scrollPercent: num(f.scrollPercent) ?? 0,
        exitIntent: on(f.exitIntent),
        paths: list(f.paths),
        minCartValue: num(f.minCartValue) ?? null,
      },
      audience: { newVisitorsOnly: on(f.newVisitorsOnly), notSubscribers: on(f.notSubscribers), segmentsIn: list(f.segmentsIn), segmentsOut: list(f.segmentsOut) },
      frequencyDays: num(f.frequencyDays) ?? 7,
    },
  };
}

const ISSUE_FIELD: Record<string, WidgetField> = {
  'config.incentive.amount': 'incentivePercent', 'config.incentive.expiryDays': 'incentiveDays',
  'config.triggers.delaySeconds': 'delaySeconds', 'config.triggers.scrollPercent': 'scrollPercent', 'config.triggers.paths': 'paths',
  'config.triggers.minCartValue': 'minCartValue', 'config.frequencyDays': 'frequencyDays', kind: 'kind',
  'config.audience.segmentsIn': 'segmentsIn', 'config.audience.segmentsOut': 'segmentsOut',
};

/** Which form fields a refused body points at (copy fields by language and key, the rest by table). */
export function widgetFieldErrors(issues: z.core.$ZodIssue[]): Partial<Record<WidgetField, true>> {
  const out: Partial<Record<WidgetField, true>> = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (path[1] === 'copy' && path[3]) out[key(path[2] as Lang, path[3] as (typeof COPY_KEYS)[number])] = true;
    else {
      const field = ISSUE_FIELD[path.filter((p) => !/^\d+$/.test(p)).join('.')];
      if (field) out[field] = true;
    }
  }
  return out;
}

export const parseWidgetForm = (f: WidgetFormValues) => WidgetInput.safeParse(widgetBodyFromForm(f));

/** A stored widget as form values (a new one: sensible defaults, empty copy). */
export function widgetFormValues(w: Widget | undefined): WidgetFormValues {
  const parsed = w ? WidgetConfig.safeParse(w.config) : undefined;
  const c = parsed?.success ? parsed.data : undefined;
  const values: WidgetFormValues = { id: w?.id ?? '', kind: w?.kind ?? 'popup', enabled: !w || w.enabled ? 'on' : '', notSubscribers: 'on', frequencyDays: '7', incentiveDays: '30' };
  if (!c) return values;
  for (const lang of ['fr', 'en'] as const) for (const k of COPY_KEYS) values[key(lang, k)] = c.copy[lang][k];
  const t = c.triggers;
  return {
    ...values,
    incentivePercent: c.incentive ? String(c.incentive.amount) : '',
    incentiveDays: String(c.incentive?.expiryDays ?? 30),
    phone: c.fields.phone ? 'on' : '', birthday: c.fields.birthday ? 'on' : '',
    delaySeconds: String(t.delaySeconds), scrollPercent: String(t.scrollPercent), exitIntent: t.exitIntent ? 'on' : '',
    paths: t.paths.join(', '), minCartValue: t.minCartValue === null ? '' : String(t.minCartValue),
    newVisitorsOnly: c.audience.newVisitorsOnly ? 'on' : '', notSubscribers: c.audience.notSubscribers ? 'on' : '',
    segmentsIn: c.audience.segmentsIn.join(', '), segmentsOut: c.audience.segmentsOut.join(', '),
    frequencyDays: String(c.frequencyDays),
  };
}
