import type { Db } from '../db/client';
import { requireFlow } from '../contacts/runtime/flow-admin';
import { findContact, type Contact } from '../db/queries/contacts';
import { appendMessageVersion, listMessageVersions, liveMessageVersion, type MessageVersion } from '../db/queries/message-versions';
import { findStoreSettings, type StoreSettings } from '../db/queries/store-settings';
import { findStore, type Store } from '../db/queries/stores';
import type { Lang } from '../dashboard/copy';
import { AppError, notFound } from '../errors';
import type { Flow } from '../journeys/flow-schema';
import { renderEmail, renderSms } from '../messaging/email/render';
import { CATALOGS, LOCALES, type Locale } from '../messaging/templates';
import { compileBlocks, Blocks } from './blocks';
import { EDITOR_COPY } from './copy';
import { previewData } from './sample-data';
import { smsSegments, type SmsSegments } from './sms-segments';
import { messageSteps, type MessageStep } from './steps';
import { EmailDraft, SmsDraft, validateEmailDraft, validateSmsDraft, type FieldProblem } from './validate';

export type Draft = { channel: 'email'; email: EmailDraft } | { channel: 'sms'; text: string };
export type LiveContent = Draft & { lang: Locale; version: number | null; custom: boolean };
export type Rendered =
  | { channel: 'email'; lang: Locale; subject: string; preheader: string; html: string; text: string }
  | { channel: 'sms'; lang: Locale; text: string; sms: SmsSegments };
export type EditorScope = { d: Db; baseUrl: string; store: Store; settings: StoreSettings | undefined; flow: Flow; now: number };

export function requireStep(flow: Flow, stepId: string): MessageStep {
  const step = messageSteps(flow).find((s) => s.stepId === stepId);
  if (!step) throw notFound(`Message step ${stepId}`);
  return step;
}

function defaultDraft(step: MessageStep, lang: Locale): Draft {
  const catalog = CATALOGS[lang];
  return step.channel === 'email' ? { channel: 'email', email: { ...catalog.templates[step.templateId] } } : { channel: 'sms', text: catalog.sms[step.templateId] };
}

function draftOf(step: MessageStep, lang: Locale, v: MessageVersion | undefined): Draft {
  if (!v || v.isDefault || v.channel !== step.channel) return defaultDraft(step, lang);
  if (step.channel === 'sms') return { channel: 'sms', text: v.text ?? '' };
  const blocks = Blocks.safeParse(v.blocks);
  const email = { subject: v.subject ?? '', preheader: v.preheader ?? '', html: v.html ?? '', text: v.text ?? '' };
  return { channel: 'email', email: blocks.success ? { ...email, blocks: blocks.data } : email };
}

export async function liveContent(d: Db, storeId: string, flow: Flow, step: MessageStep, lang: Locale): Promise<LiveContent> {
  const v = await liveMessageVersion(d, { storeId, flowId: flow.id, stepId: step.stepId, lang });
  return { ...draftOf(step, lang, v), lang, version: v?.version ?? null, custom: Boolean(v && !v.isDefault) };
}

/** Every message step of the flow with its live wording per language and every saved version. */
export async function flowMessages(d: Db, storeId: string, flow: Flow) {
  const versions = await listMessageVersions(d, storeId, flow.id);
  return Promise.all(
    messageSteps(flow).map(async (step) => ({
      stepId: step.stepId,
      channel: step.channel,
      templateId: step.templateId,
      live: Object.fromEntries(await Promise.all(LOCALES.map(async (lang) => [lang, await liveContent(d, storeId, flow, step, lang)] as const))) as Record<Locale, LiveContent>,
      versions: versions
        .filter((v) => v.stepId === step.stepId)
        .map((v) => ({ lang: v.lang, version: v.version, restoredDefault: v.isDefault, createdAt: v.createdAt, subject: v.subject, text: v.channel === 'sms' ? v.text : null })),
    })),
  );
}

function invalid(problems: FieldProblem[], admin: Lang): AppError {
  const copy = EDITOR_COPY[admin];
  const fields = problems.map((p) => ({ field: p.field, code: p.code, message: copy.problem(p), ...(p.line ? { line: p.line } : {}) }));
  return new AppError(400, 'validation_failed', copy.invalid, { fields });
}

/** Reads the body the step's channel takes; a wrong shape is a field-level error like any other. */
export function parseDraft(step: MessageStep, body: unknown): Draft {
  if (step.channel === 'sms') {
    const sms = SmsDraft.safeParse(body);
    return { channel: 'sms', text: sms.success ? sms.data.text : '' };
  }
  // A body built from blocks needs no html/text of its own: they are compiled from the blocks.
  const withBodies = typeof body === 'object' && body !== null && 'blocks' in body ? { html: '', text: '', ...body } : body;
  const email = EmailDraft.safeParse(withBodies);
  if (!email.success) return { channel: 'email', email: { subject: '', preheader: '', html: '', text: '' } };
  return { channel: 'email', email: email.data.blocks ? { ...email.data, ...compileBlocks(email.data.blocks) } : email.data };
}

export async function renderDraft(scope: EditorScope, step: MessageStep, lang: Locale, draft: Draft, contact?: Contact): Promise<Rendered> {
  const data = await previewData({ ...scope, step, lang, ...(contact ? { contact } : {}) });
  if (step.channel === 'sms') {
    const override = draft.channel === 'sms' ? draft.text : undefined;
    const text = await renderSms({ templateId: step.templateId, locale: lang, data, ...(override !== undefined ? { override } : {}) });
    return { channel: 'sms', lang, text, sms: smsSegments(text) };
  }
  const rendered = await renderEmail({ templateId: step.templateId, locale: lang, data, ...(draft.channel === 'email' ? { overrides: draft.email } : {}) });
  return { channel: 'email', lang, ...rendered };
}

/**
 * Renders a draft after every check (parse, variables, links, footer) and fails like them when
 * the sample render does; refusals come back field by field in `admin`'s language.
 */
export async function checkedRender(scope: EditorScope, step: MessageStep, lang: Locale, draft: Draft, admin: Lang, contact?: Contact): Promise<Rendered> {
  const problems = draft.channel === 'sms' ? validateSmsDraft(step, { text: draft.text }) : validateEmailDraft(step, draft.email);
  if (problems.length > 0) throw invalid(problems, admin);
  try {
    return await renderDraft(scope, step, lang, draft, contact);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw invalid([{ field: draft.channel === 'sms' ? 'text' : 'html', code: 'render', ...(detail ? { detail } : {}) }], admin);
  }
}

/** Saves the owner's wording as the step's new live version once it passes `checkedRender`. */
export async function saveStepMessage(scope: EditorScope, step: MessageStep, lang: Locale, draft: Draft, admin: Lang): Promise<LiveContent> {
  await checkedRender(scope, step, lang, draft, admin);
  const content = draft.channel === 'sms' ? { subject: null, preheader: null, html: null, text: draft.text } : { ...draft.email, blocks: draft.email.blocks ?? null };
  const key = { storeId: scope.store.id, flowId: scope.flow.id, stepId: step.stepId, lang };
  await appendMessageVersion(scope.d, { ...key, channel: step.channel, templateId: step.templateId, isDefault: false, ...content }, scope.now);
  return liveContent(scope.d, scope.store.id, scope.flow, step, lang);
}

/**
 * Back to the shipped wording (no `version`), or to an earlier version: either way a new version,
 * so the history keeps every edit. Restoring the default points at the catalogue instead of copying it.
 */
export async function restoreStepVersion(scope: EditorScope, step: MessageStep, lang: Locale, version?: number): Promise<LiveContent> {
  const key = { storeId: scope.store.id, flowId: scope.flow.id, stepId: step.stepId, lang };
  const empty = { subject: null, preheader: null, html: null, text: null };
  let content: Pick<MessageVersion, 'isDefault' | 'subject' | 'preheader' | 'html' | 'text' | 'blocks'> = { isDefault: true, ...empty, blocks: null };
  if (version !== undefined) {
    const old = (await listMessageVersions(scope.d, scope.store.id, scope.flow.id)).find((v) => v.stepId === step.stepId && v.lang === lang && v.version === version);
    if (!old) throw notFound(`Version ${version} of ${step.stepId} (${lang})`);
    content = { isDefault: old.isDefault, subject: old.subject, preheader: old.preheader, html: old.html, text: old.text, blocks: old.blocks };
  }
  await appendMessageVersion(scope.d, { ...key, channel: step.channel, templateId: step.templateId, ...content }, scope.now);
  return liveContent(scope.d, scope.store.id, scope.flow, step, lang);
}

/** Store, sender settings and live flow of an editor request; 404 for an unknown store or flow. */
export async function editorScope(d: Db, baseUrl: string, storeId: string, flowId: string, now: number): Promise<EditorScope> {
  const store = await findStore(d, storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  const [row, settings] = await Promise.all([requireFlow(d, store.id, flowId, now), findStoreSettings(d, store.id)]);
  return { d, baseUrl, store, settings, flow: row.definition, now };
}

/** A real contact of the store to preview for, or 404. */
export async function previewContact(scope: EditorScope, contactId: string | undefined): Promise<Contact | undefined> {
  if (contactId === undefined) return undefined;
  const contact = await findContact(scope.d, scope.store.id, contactId);
  if (!contact) throw notFound(`Contact ${contactId}`);
  return contact;
}
