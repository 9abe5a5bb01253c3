import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../../db/client';
import { listMessageVersions } from '../../db/queries/message-versions';
import { MessageEditorPage, editorPath, type EditorFields, type EditorProps } from '../../dashboard/views/message-editor';
import { checkedRender, editorScope, liveContent, previewContact, requireStep, restoreStepVersion, saveStepMessage, type Draft, type EditorScope, type Rendered } from '../../editor/messages';
import type { MessageStep } from '../../editor/steps';
import { testSendStep } from '../../editor/test-send';
import { AppError } from '../../errors';
import { base, PREVIEW_CSP, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';
import { blockPages } from './block-pages';

export const EditorQuery = z.object({ msg: z.enum(['fr', 'en']).catch('fr'), notice: z.enum(['saved', 'restored', 'tested']).optional().catch(undefined), to: z.string().max(320).optional() });
export type EditorQuery = z.infer<typeof EditorQuery>;
export const EditorForm = z.object({
  do: z.enum(['save', 'preview', 'test', 'restore']),
  subject: z.string().default(''),
  preheader: z.string().default(''),
  html: z.string().default(''),
  text: z.string().default(''),
  contact: z.string().trim().max(64).default(''),
  version: z.coerce.number().int().min(1).optional(),
});
export type EditorForm = z.infer<typeof EditorForm>;

type View = { fields: EditorFields; errors: EditorProps['errors']; preview: Rendered | null; contactId: string; notice?: EditorProps['notice'] };

const fieldsOf = (draft: Draft): EditorFields =>
  draft.channel === 'email' ? { ...draft.email } : { subject: '', preheader: '', html: '', text: draft.text };
const draftOf = (step: MessageStep, f: EditorFields): Draft =>
  step.channel === 'email' ? { channel: 'email', email: { subject: f.subject, preheader: f.preheader, html: f.html, text: f.text } } : { channel: 'sms', text: f.text };

async function load(c: DashboardContext) {
  const store = await requireDashboardStore(c);
  const scope = await editorScope(db(c.env.DB), c.env.PUBLIC_BASE_URL, store.id, c.req.param('flow') ?? '', Date.now());
  return { scope, step: requireStep(scope.flow, c.req.param('step') ?? ''), q: EditorQuery.parse(c.req.query()) };
}

async function page(c: DashboardContext, scope: EditorScope, step: MessageStep, msgLang: 'fr' | 'en', view: View, status: 200 | 400 | 404 | 409 = 200) {
  const live = await liveContent(scope.d, scope.store.id, scope.flow, step, msgLang);
  const versions = (await listMessageVersions(scope.d, scope.store.id, scope.flow.id)).filter((v) => v.stepId === step.stepId && v.lang === msgLang);
  const path = editorPath(scope.store.id, scope.flow.id, step.stepId);
  c.header('Content-Security-Policy', PREVIEW_CSP);
  return c.html(
    <MessageEditorPage
      {...base(c)}
      path={path}
      store={scope.store}
      flow={{ id: scope.flow.id, name: scope.flow.name }}
      step={step}
      msgLang={msgLang}
      custom={live.custom}
      versions={versions}
      {...view}
    />,
    status,
  );
}

/** Field-level refusals (validation, unknown contact, no owner address) shown on the form instead of an error page. */
function refusal(err: unknown, c: DashboardContext): Pick<View, 'errors' | 'notice'> | null {
  if (!(err instanceof AppError) || ![400, 404, 409].includes(err.status)) return null;
  const fields = z.object({ fields: z.array(z.object({ field: z.enum(['subject', 'preheader', 'html', 'text']), message: z.string() })) }).safeParse(err.details);
  const errors: EditorProps['errors'] = {};
  for (const f of fields.success ? fields.data.fields : []) (errors[f.field] ??= []).push(f.message);
  const text = err.status === 400 ? c.get('t').editor.invalid : err.message;
  return { errors, notice: { kind: 'error', text } };
}

/** One message step's editor: wording per language, preview at two widths, test send, versions. */
export const messagePages = new Hono<DashboardEnv>()
  .get('/:store/flows/:flow/messages/:step', async (c) => {
    const { scope, step, q } = await load(c);
    const t = c.get('t');
    const live = await liveContent(scope.d, scope.store.id, scope.flow, step, q.msg);
    // A live version the current checks refuse (saved before a rule existed) still opens, with its problems shown.
    const shown = await checkedRender(scope, step, q.msg, live, c.get('lang')).then(
      (preview) => ({ preview, errors: {} }),
      (err: unknown) => {
        const refused = refusal(err, c);
        if (!refused) throw err;
        return { preview: null, errors: refused.errors };
      },
    );
    const last = (await listMessageVersions(scope.d, scope.store.id, scope.flow.id)).find((v) => v.stepId === step.stepId && v.lang === q.msg);
    const notices = { saved: t.editor.saved(last?.version ?? 0), restored: t.editor.restored, tested: t.editor.tested(q.to ?? '') };
    const notice = q.notice ? { kind: 'notice' as const, text: notices[q.notice] } : undefined;
    return page(c, scope, step, q.msg, { fields: fieldsOf(live), ...shown, contactId: '', ...(notice ? { notice } : {}) });
  })
  .post('/:store/flows/:flow/messages/:step', async (c) => {
    const { scope, step, q } = await load(c);
    const form = EditorForm.safeParse(c.get('form'));
    if (!form.success) throw new AppError(400, 'validation_failed', c.get('t').errors.invalid);
    const f = form.data;
    const back = (notice: string, extra = '') => c.redirect(`${editorPath(scope.store.id, scope.flow.id, step.stepId)}?msg=${q.msg}&notice=${notice}${extra}#message-form`, 303);
    if (f.do === 'restore') {
      await restoreStepVersion(scope, step, q.msg, f.version);
      return back('restored');
    }
    const fields = { subject: f.subject, preheader: f.preheader, html: f.html, text: f.text };
    const draft = draftOf(step, fields);
    try {
      if (f.do === 'save') {
        await saveStepMessage(scope, step, q.msg, draft, c.get('lang'));
        return back('saved');
      }
      if (f.do === 'test') {
        const sent = await testSendStep(c.env, scope, step, q.msg, draft, c.get('lang'));
        return back('tested', `&to=${encodeURIComponent(sent.to)}`);
      }
      const contact = await previewContact(scope, f.contact || undefined);
      const preview = await checkedRender(scope, step, q.msg, draft, c.get('lang'), contact);
      return page(c, scope, step, q.msg, { fields, errors: {}, preview, contactId: f.contact });
    } catch (err) {
      const refused = refusal(err, c);
      if (!refused) throw err;
      const status = err instanceof AppError && (err.status === 404 || err.status === 409) ? err.status : 400;
      return page(c, scope, step, q.msg, { fields, preview: null, contactId: f.contact, ...refused }, status);
    }
  })
  .route('/', blockPages);
