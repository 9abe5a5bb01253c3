import { Hono } from 'hono';
import { z } from 'zod';
import type { Lang } from '../../dashboard/copy';
import { SETTINGS_TABS, type SettingsTab } from '../../dashboard/copy-settings';
import { storePath, type PageProps } from '../../dashboard/layout';
import { SettingsShell } from '../../dashboard/views/settings';
import { GuardrailsForm, PrivacyForm, ProvidersForm, SenderForm } from '../../dashboard/views/settings-forms';
import { emptySegmentRuleForm, SegmentGuardrails, type SegmentRuleForm } from '../../dashboard/views/segment-guardrails';
import { parseDays } from '../../dashboard/i18n/duration';
import { deleteSegmentGuardrail, listSegmentGuardrails } from '../../db/queries/segment-guardrails';
import { listSegments } from '../../segments/dynamic/segment-admin';
import { db, type Db } from '../../db/client';
import { findGuardrailSettings } from '../../db/queries/guardrail-settings';
import { findPrivacySettings, updatePrivacySettings } from '../../db/queries/preferences';
import { findStoreSettings } from '../../db/queries/store-settings';
import type { Store } from '../../db/queries/stores';
import { AppError, notFound } from '../../errors';
import { contrastRatio, MIN_TEXT_CONTRAST } from '../../lib/colour-contrast';
import { GuardrailsBody, saveGuardrails, saveSegmentGuardrailRule, SegmentGuardrailBody } from '../guardrails';
import { PrivacyBody } from '../privacy';
import { saveStoreSettings, StoreSettingsBody } from '../store-settings';
import { base, PREVIEW_CSP, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';
import {
  bodyFromForm, fieldErrors, guardrailValues, privacyValues, providerValues, SECRET_FIELDS, secretStates, senderValues,
  type FieldErrors, type FieldValues,
} from './settings-form';

export const SettingsTabParam = z.enum(SETTINGS_TABS);
export type SettingsTabParam = z.infer<typeof SettingsTabParam>;
export const SettingsQuery = z.object({ saved: z.literal('1').optional().catch(undefined) });
export type SettingsQuery = z.infer<typeof SettingsQuery>;

function tabOf(c: DashboardContext): SettingsTab {
  const tab = SettingsTabParam.safeParse(c.req.param('tab') ?? 'sender');
  if (!tab.success) throw notFound('Settings page');
  return tab.data;
}

async function storedValues(d: Db, store: Store, tab: SettingsTab, lang: Lang): Promise<FieldValues> {
  if (tab === 'guardrails') return guardrailValues(await findGuardrailSettings(d, store.id), lang);
  if (tab === 'privacy') return privacyValues(await findPrivacySettings(d, store.id), lang);
  const settings = await findStoreSettings(d, store.id);
  return tab === 'sender' ? senderValues(settings) : providerValues(settings);
}

/** Buttons carry white text on the primary colour; links sit in the accent colour on white. */
function contrastWarnings(c: DashboardContext, values: FieldValues): string[] {
  const s = c.get('t').settings;
  const ratio = new Intl.NumberFormat(c.get('lang'), { maximumFractionDigits: 1 });
  return (['brandPrimaryColor', 'brandAccentColor'] as const).flatMap((f) => {
    const colour = values[f] ?? '';
    if (!/^#[0-9a-fA-F]{6}$/.test(colour)) return [];
    const r = contrastRatio(colour, '#ffffff');
    return r < MIN_TEXT_CONTRAST ? [s.lowContrast(s.labels[f], ratio.format(r))] : [];
  });
}

type View = { values: FieldValues; errors: FieldErrors; notice?: PageProps['notice']; ruleForm?: SegmentRuleForm };

/** The guardrails tab's segment rules: the store's rules, and its segments to pick from, named in the admin's language. */
async function segmentRules(c: DashboardContext, store: Store, form: SegmentRuleForm) {
  const d = db(c.env.DB);
  const lang = c.get('lang');
  const [rules, segments] = await Promise.all([listSegmentGuardrails(d, store.id), listSegments(d, store.id, Date.now())]);
  const choices = segments.map((g) => ({ id: g.id, name: lang === 'fr' ? g.name.fr : g.name.en }));
  return <SegmentGuardrails {...base(c)} storeId={store.id} rules={rules} segments={choices} form={form} />;
}

async function render(c: DashboardContext, store: Store, tab: SettingsTab, view: View, status: 200 | 400 = 200) {
  const props = { ...base(c), path: storePath(store.id, `/settings/${tab}`), store, tab, notice: view.notice };
  const fields = { t: c.get('t'), values: view.values, errors: view.errors };
  if (tab === 'sender') {
    // The logo preview loads the owner's https image.
    c.header('Content-Security-Policy', PREVIEW_CSP);
    return c.html(<SettingsShell {...props}><SenderForm {...fields} warnings={contrastWarnings(c, view.values)} /></SettingsShell>, status);
  }
  if (tab === 'providers') {
    const secrets = secretStates(await findStoreSettings(db(c.env.DB), store.id));
    return c.html(<SettingsShell {...props}><ProvidersForm {...fields} secrets={secrets} /></SettingsShell>, status);
  }
  if (tab === 'privacy') return c.html(<SettingsShell {...props}><PrivacyForm {...fields} /></SettingsShell>, status);
  const after = await segmentRules(c, store, view.ruleForm ?? emptySegmentRuleForm(c.get('lang')));
  return c.html(<SettingsShell {...props} after={after}><GuardrailsForm {...fields} /></SettingsShell>, status);
}

/**
 * Saves one tab through the API's own schema and write: the dashboard and PATCH /api/stores/:store/...
 * cannot disagree. Returns the refused fields, or null once saved.
 */
async function save(d: Db, storeId: string, tab: SettingsTab, body: Record<string, unknown>): Promise<FieldErrors | null> {
  const now = Date.now();
  if (tab === 'sender' || tab === 'providers') {
    const parsed = StoreSettingsBody.safeParse(body);
    if (!parsed.success) return fieldErrors(parsed.error.issues);
    await saveStoreSettings(d, storeId, parsed.data, now);
  } else if (tab === 'privacy') {
    const parsed = PrivacyBody.safeParse(body);
    if (!parsed.success) return fieldErrors(parsed.error.issues);
    await updatePrivacySettings(d, storeId, parsed.data, now);
  } else {
    const parsed = GuardrailsBody.safeParse(body);
    if (!parsed.success) return fieldErrors(parsed.error.issues);
    try {
      await saveGuardrails(d, storeId, parsed.data, now);
    } catch (err) {
      const field = err instanceof AppError && err.status === 400 ? z.object({ field: z.string() }).safeParse(err.details) : undefined;
      if (!field?.success) throw err;
      return { [field.data.field]: true };
    }
  }
  return null;
}

/**
 * A segment rule through the API's own schema and write; false when refused (an unknown segment included). The
 * cap and period are read like the tab's other fields: a whole number, and days as "7", "7 j" or "7 d".
 */
async function saveSegmentRule(d: Db, storeId: string, typed: SegmentRuleForm): Promise<boolean> {
  const cap = typed.cap.trim() === '' ? null : /^\s*\d{1,6}\s*$/.test(typed.cap) ? Number(typed.cap) : typed.cap;
  const hibernationDays = typed.hibernationDays.trim() === '' ? null : (parseDays(typed.hibernationDays) ?? typed.hibernationDays);
  const body = SegmentGuardrailBody.safeParse({ exclude: typed.exclude, cap, windowDays: parseDays(typed.windowDays) ?? typed.windowDays, hibernationDays });
  if (!body.success || typed.segment === '') return false;
  try {
    await saveSegmentGuardrailRule(d, storeId, typed.segment, body.data, Date.now());
    return true;
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return false;
    throw err;
  }
}

/** Sender and brand, providers (write-only secrets), guardrails and privacy: the settings the API exposes, as forms. */
export const settingsPages = new Hono<DashboardEnv>()
  .get('/:store/settings/:tab?', async (c) => {
    const store = await requireDashboardStore(c);
    const tab = tabOf(c);
    const q = SettingsQuery.parse(c.req.query());
    const values = await storedValues(db(c.env.DB), store, tab, c.get('lang'));
    return render(c, store, tab, { values, errors: {}, notice: q.saved ? { kind: 'notice', text: c.get('t').settings.saved } : undefined });
  })
  .post('/:store/settings/:tab', async (c) => {
    const store = await requireDashboardStore(c);
    const tab = tabOf(c);
    const form = c.get('form');
    const errors = await save(db(c.env.DB), store.id, tab, bodyFromForm(tab, form));
    if (!errors) return c.redirect(`${storePath(store.id, `/settings/${tab}`)}?saved=1`, 303);
    // What was typed comes back for correction, except secrets: they never go back into a page.
    const values = Object.fromEntries(Object.entries(form).filter(([k]) => !(SECRET_FIELDS as readonly string[]).includes(k)));
    return render(c, store, tab, { values, errors, notice: { kind: 'error', text: c.get('t').settings.invalid } }, 400);
  })
  .post('/:store/settings/guardrails/segments', async (c) => {
    const store = await requireDashboardStore(c);
    const form = c.get('form');
    const typed = { segment: form.segment ?? '', exclude: form.exclude === 'on', cap: form.cap ?? '', windowDays: form.windowDays ?? '', hibernationDays: form.hibernationDays ?? '', invalid: true };
    const d = db(c.env.DB);
    if (await saveSegmentRule(d, store.id, typed)) return c.redirect(`${storePath(store.id, '/settings/guardrails')}?saved=1`, 303);
    const values = await storedValues(d, store, 'guardrails', c.get('lang'));
    const notice = { kind: 'error' as const, text: c.get('t').settings.segmentRules.invalid };
    return render(c, store, 'guardrails', { values, errors: {}, notice, ruleForm: typed }, 400);
  })
  .post('/:store/settings/guardrails/segments/:segment/delete', async (c) => {
    const store = await requireDashboardStore(c);
    await deleteSegmentGuardrail(db(c.env.DB), store.id, c.req.param('segment'));
    return c.redirect(`${storePath(store.id, '/settings/guardrails')}?saved=1`, 303);
  });
