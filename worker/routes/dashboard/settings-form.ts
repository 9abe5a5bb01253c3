import type { z } from 'zod';
import type { SettingsField, SettingsTab } from '../../dashboard/copy-settings';
import type { Lang } from '../../dashboard/copy';
import type { GuardrailSettings } from '../../db/queries/guardrail-settings';
import type { PrivacySettings } from '../../db/queries/preferences';
import type { StoreSettings } from '../../db/queries/store-settings';
import { formatDays, parseDays } from '../../dashboard/i18n/duration';
import type { FormFields } from './context';

/** What the form fields show: text as typed, checkboxes as 'on' or ''. */
export type FieldValues = Record<string, string>;
export type FieldErrors = Partial<Record<SettingsField, true>>;

export const SENDER_FIELDS = ['fromName', 'fromEmail', 'replyTo', 'postalAddress', 'displayName', 'brandLogoUrl', 'brandPrimaryColor', 'brandAccentColor'] as const;
export const SECRET_FIELDS = ['postmarkServerToken', 'postmarkWebhookPassword', 'smsAuthToken'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
const PROVIDER_TEXT = ['postmarkWebhookUser', 'smsAccountSid', 'smsFrom', 'smsMessagingServiceSid'] as const;
const CAPS = ['emailCap', 'smsCap', 'overallCap', 'sendTimeMinEngagements', 'wakeHour', 'sleepHour'] as const;
const DAYS = ['emailWindowDays', 'smsWindowDays', 'overallWindowDays', 'hibernationDays', 'repromotionDays'] as const;
const GUARD_FLAGS = ['sendTimeOptimization', 'oneFlowPerDay'] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** An emptied text field clears the setting. */
const text = (form: FormFields, f: string) => ((form[f] ?? '').trim() === '' ? null : (form[f] ?? '').trim());
/** Secrets are write-only: empty keeps the stored value, the remove box clears it. */
const secret = (form: FormFields, f: string) => (form[`remove_${f}`] === 'on' ? null : (form[f] ?? '').trim() === '' ? undefined : (form[f] ?? '').trim());
/** A number as typed; anything else goes through as text so the shared schema names the field. */
const whole = (form: FormFields, f: string) => (/^\s*\d{1,6}\s*$/.test(form[f] ?? '') ? Number(form[f]) : (form[f] ?? ''));
const days = (form: FormFields, f: string) => parseDays(form[f] ?? '') ?? (form[f] ?? '');
const flag = (form: FormFields, f: string) => form[f] === 'on';
const pick = <K extends string, V>(keys: readonly K[], value: (k: K) => V) => Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;

/** Each tab's form as the body its API route takes, before the API's own schema judges it. */
export function bodyFromForm(tab: SettingsTab, form: FormFields): Record<string, unknown> {
  switch (tab) {
    case 'sender':
      return pick(SENDER_FIELDS, (f) => text(form, f));
    case 'providers': {
      const stream = text(form, 'postmarkMessageStream');
      return { ...pick(SECRET_FIELDS, (f) => secret(form, f)), ...pick(PROVIDER_TEXT, (f) => text(form, f)), ...(stream ? { postmarkMessageStream: stream } : {}) };
    }
    case 'guardrails':
      return {
        ...pick(CAPS, (f) => whole(form, f)),
        ...pick(DAYS, (f) => days(form, f)),
        ...pick(GUARD_FLAGS, (f) => flag(form, f)),
        smsOpens: form.smsOpens ?? '',
        smsCloses: form.smsCloses ?? '',
        smsDays: WEEKDAYS.filter((d) => flag(form, `smsDay${d}`)),
      };
    case 'privacy':
      return { doubleOptIn: flag(form, 'doubleOptIn'), openTracking: flag(form, 'openTracking'), confirmationDays: days(form, 'confirmationDays'), eventRetentionMonths: whole(form, 'eventRetentionMonths') };
    default:
      return tab satisfies never;
  }
}

/** Which fields the shared schema refused: each issue's first path segment names one. */
export function fieldErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  return Object.fromEntries(issues.map((i) => [String(i.path[0] ?? ''), true as const]));
}

const shown = (v: string | null | undefined) => v ?? '';
const box = (v: boolean) => (v ? 'on' : '');

export function senderValues(s: StoreSettings | undefined): FieldValues {
  return pick(SENDER_FIELDS, (f) => shown(s?.[f]));
}

export function providerValues(s: StoreSettings | undefined): FieldValues {
  return { ...pick(PROVIDER_TEXT, (f) => shown(s?.[f])), postmarkMessageStream: s?.postmarkMessageStream ?? 'broadcast' };
}

export type SecretStates = Record<SecretField, { set: boolean; last4?: string }>;

/** Whether each secret is set, with its last four characters where the plain value is kept (the webhook password is kept hashed). */
export function secretStates(s: StoreSettings | undefined): SecretStates {
  const state = (plain: string | null | undefined) => (plain ? { set: true, last4: plain.slice(-4) } : { set: false });
  return { postmarkServerToken: state(s?.postmarkServerToken), smsAuthToken: state(s?.smsAuthToken), postmarkWebhookPassword: { set: Boolean(s?.postmarkWebhookPasswordHash) } };
}

export function guardrailValues(g: GuardrailSettings, lang: Lang): FieldValues {
  return {
    ...pick(CAPS, (f) => String(g[f])),
    ...pick(DAYS, (f) => formatDays(g[f], lang)),
    ...pick(GUARD_FLAGS, (f) => box(g[f])),
    smsOpens: g.smsOpens,
    smsCloses: g.smsCloses,
    ...Object.fromEntries(WEEKDAYS.map((d) => [`smsDay${d}`, box(g.smsDays.includes(d))])),
  };
}

export function privacyValues(p: Omit<PrivacySettings, 'updatedAt'>, lang: Lang): FieldValues {
  return { doubleOptIn: box(p.doubleOptIn), openTracking: box(p.openTracking), confirmationDays: formatDays(p.confirmationDays, lang), eventRetentionMonths: String(p.eventRetentionMonths) };
}
