import { Hono } from 'hono';
import { z } from 'zod';
import { langFromAcceptLanguage } from '../dashboard/copy';
import { db } from '../db/client';
import { editorScope, flowMessages, liveContent, checkedRender, parseDraft, previewContact, requireStep, restoreStepVersion, saveStepMessage } from '../editor/messages';
import { testSendStep } from '../editor/test-send';
import type { AppEnv } from '../env';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import type { Context } from 'hono';

const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
export const FlowMessagesQuery = z.object({ store: StoreId });
export type FlowMessagesQuery = z.infer<typeof FlowMessagesQuery>;
export const StepMessageQuery = z.object({ store: StoreId, lang: z.enum(['fr', 'en']) });
export type StepMessageQuery = z.infer<typeof StepMessageQuery>;
export const RestoreBody = z.object({ version: z.number().int().min(1).optional() });
export type RestoreBody = z.infer<typeof RestoreBody>;
/** Preview or test: `draft` (the body a save takes) renders unsaved wording; without it, the live version. */
export const PreviewBody = z.object({ contactId: z.string().min(1).max(64).optional(), draft: z.unknown().optional() });
export type PreviewBody = z.infer<typeof PreviewBody>;

/** The admin's language for error messages: Accept-Language, French by default. */
const adminLang = (c: Context<AppEnv>) => langFromAcceptLanguage(c.req.header('Accept-Language'));

async function stepRequest(c: Context<AppEnv>) {
  const q = parseQuery(c, StepMessageQuery);
  const scope = await editorScope(db(c.env.DB), c.env.PUBLIC_BASE_URL, q.store, c.req.param('id') ?? '', Date.now());
  return { scope, step: requireStep(scope.flow, c.req.param('stepId') ?? ''), lang: q.lang };
}

async function draftOrLive(c: Context<AppEnv>) {
  const { scope, step, lang } = await stepRequest(c);
  const body = await parseJsonBody(c, PreviewBody);
  const draft = body.draft === undefined ? await liveContent(scope.d, scope.store.id, scope.flow, step, lang) : parseDraft(step, body.draft);
  return { scope, step, lang, draft, contact: await previewContact(scope, body.contactId) };
}

/** The owner's wording of every email and SMS step: read, save (validated), restore, preview, test send. */
export const flowMessageRoutes = new Hono<AppEnv>()
  .get('/flows/:id/messages', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowMessagesQuery);
    const scope = await editorScope(db(c.env.DB), c.env.PUBLIC_BASE_URL, q.store, c.req.param('id'), Date.now());
    return c.json({ flow: scope.flow.id, steps: await flowMessages(scope.d, scope.store.id, scope.flow) });
  })
  .put('/flows/:id/messages/:stepId', adminAuth(), async (c) => {
    const { scope, step, lang } = await stepRequest(c);
    const draft = parseDraft(step, await parseJsonBody(c, z.unknown()));
    return c.json({ message: await saveStepMessage(scope, step, lang, draft, adminLang(c)) });
  })
  .post('/flows/:id/messages/:stepId/restore', adminAuth(), async (c) => {
    const { scope, step, lang } = await stepRequest(c);
    const body = await parseJsonBody(c, RestoreBody);
    return c.json({ message: await restoreStepVersion(scope, step, lang, body.version) });
  })
  .post('/flows/:id/messages/:stepId/preview', adminAuth(), async (c) => {
    const { scope, step, lang, draft, contact } = await draftOrLive(c);
    return c.json({ preview: await checkedRender(scope, step, lang, draft, adminLang(c), contact) });
  })
  .post('/flows/:id/messages/:stepId/test-send', adminAuth(), async (c) => {
    const { scope, step, lang, draft } = await draftOrLive(c);
    return c.json({ test: await testSendStep(c.env, scope, step, lang, draft, adminLang(c)) });
  });
