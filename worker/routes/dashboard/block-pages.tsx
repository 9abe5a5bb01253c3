import { Hono } from 'hono';
import { z } from 'zod';
import { BlockEditorPage } from '../../dashboard/views/block-editor';
import { editorPath } from '../../dashboard/views/message-editor';
import { applyOp, BLOCK_TYPES, BlockOp, blocksFromForm, checkBlocks, type EditBlock } from '../../editor/block-form';
import { compileBlocks, type Block } from '../../editor/blocks';
import { checkedRender, editorScope, liveContent, requireStep, saveStepMessage, type Draft, type Rendered } from '../../editor/messages';
import { testSendStep } from '../../editor/test-send';
import { AppError, notFound } from '../../errors';
import { db } from '../../db/client';
import { base, PREVIEW_CSP, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';

const BlocksQuery = z.object({ msg: z.enum(['fr', 'en']).catch('fr') });

async function load(c: DashboardContext) {
  const store = await requireDashboardStore(c);
  const scope = await editorScope(db(c.env.DB), c.env.PUBLIC_BASE_URL, store.id, c.req.param('flow') ?? '', Date.now());
  return { scope, step: requireStep(scope.flow, c.req.param('step') ?? ''), q: BlocksQuery.parse(c.req.query()) };
}
type Loaded = Awaited<ReturnType<typeof load>>;
type View = { subject: string; preheader: string; blocks: EditBlock[]; preview: Rendered | null; status?: 200 | 400 | 404 | 409; error?: string };

/** The stored blocks back into form state (a conditional block keeps which kind of condition it has). */
function editable(blocks: Block[]): EditBlock[] {
  const leaf = (b: Block): EditBlock => {
    const { type, blocks: inner, ...values } = { blocks: [] as Block[], ...b };
    const cond = 'tag' in b ? { cond: 'tag', key: b.tag } : 'segment' in b ? { cond: 'segment', key: b.segment } : 'when' in b ? { cond: 'when', key: b.when } : 'property' in b ? { cond: 'property', key: b.property } : {};
    return { type, values: { ...(values as Record<string, string>), ...cond }, children: inner.map(leaf) };
  };
  return blocks.map(leaf);
}

async function emailStep(c: DashboardContext): Promise<Loaded> {
  const loaded = await load(c);
  if (loaded.step.channel !== 'email') throw notFound(`Email step ${loaded.step.stepId}`);
  return loaded;
}

function page(c: DashboardContext, { scope, step, q }: Loaded, view: View) {
  c.header('Content-Security-Policy', PREVIEW_CSP);
  const notice = view.error ? { kind: 'error' as const, text: view.error } : undefined;
  return c.html(
    <BlockEditorPage
      {...base(c)}
      store={scope.store}
      flow={{ id: scope.flow.id, name: scope.flow.name }}
      stepId={step.stepId}
      msgLang={q.msg}
      subject={view.subject}
      preheader={view.preheader}
      blocks={view.blocks}
      preview={view.preview}
      {...(notice ? { notice } : {})}
    />,
    view.status ?? 200,
  );
}

const Fields = z.object({ subject: z.string().max(20_000).default(''), preheader: z.string().max(20_000).default(''), do: BlockOp });

/** Block mode of an email step's editor: add, edit, move and remove blocks with plain form posts, then preview, test or save. */
export const blockPages = new Hono<DashboardEnv>()
  .get('/:store/flows/:flow/messages/:step/blocks', async (c) => {
    const loaded = await emailStep(c);
    const live = await liveContent(loaded.scope.d, loaded.scope.store.id, loaded.scope.flow, loaded.step, loaded.q.msg);
    const email = live.channel === 'email' ? live.email : { subject: '', preheader: '', blocks: undefined };
    const blocks = email.blocks ? editable(email.blocks) : [{ type: 'text' as const, values: { text: c.get('t').onboarding.blocks.starter }, children: [] }];
    return page(c, loaded, { subject: email.subject, preheader: email.preheader, blocks, preview: null });
  })
  .post('/:store/flows/:flow/messages/:step/blocks', async (c) => {
    const loaded = await emailStep(c);
    const { scope, step, q } = loaded;
    const form = c.get('form');
    const parsed = Fields.safeParse(form);
    if (!parsed.success) throw new AppError(400, 'validation_failed', c.get('t').errors.invalid);
    const { subject, preheader, do: action } = parsed.data;
    const typeField = form[action.path.length ? `new_type_${action.path.join('-')}` : 'new_type'];
    const newType = BLOCK_TYPES.find((type) => type === typeField);
    const blocks = applyOp(blocksFromForm(form), action.op, action.path, newType);
    const view: View = { subject, preheader, blocks, preview: null };
    if (!['save', 'preview', 'test'].includes(action.op)) return page(c, loaded, view);
    const b = c.get('t').onboarding.blocks;
    const checked = checkBlocks(blocks);
    if ('problems' in checked) {
      const text = checked.problems.map((p) => (p.where ? b.invalid(p.where, b.fields[p.field as keyof typeof b.fields] ?? p.field) : b.empty)).join(' ');
      return page(c, loaded, { ...view, status: 400, error: text });
    }
    const draft: Draft = { channel: 'email', email: { subject, preheader, blocks: checked.blocks, ...compileBlocks(checked.blocks) } };
    try {
      if (action.op === 'save') {
        await saveStepMessage(scope, step, q.msg, draft, c.get('lang'));
        return c.redirect(`${editorPath(scope.store.id, scope.flow.id, step.stepId)}?msg=${q.msg}&notice=saved#message-form`, 303);
      }
      if (action.op === 'test') {
        const sent = await testSendStep(c.env, scope, step, q.msg, draft, c.get('lang'));
        return c.redirect(`${editorPath(scope.store.id, scope.flow.id, step.stepId)}?msg=${q.msg}&notice=tested&to=${encodeURIComponent(sent.to)}`, 303);
      }
      return page(c, loaded, { ...view, preview: await checkedRender(scope, step, q.msg, draft, c.get('lang')) });
    } catch (err) {
      if (!(err instanceof AppError) || ![400, 409].includes(err.status)) throw err;
      const fields = z.object({ fields: z.array(z.object({ message: z.string() })) }).safeParse(err.details);
      const detail = fields.success ? fields.data.fields.map((f) => f.message).join(' ') : '';
      return page(c, loaded, { ...view, status: err.status === 409 ? 409 : 400, error: `${err.message} ${detail}`.trim() });
    }
  });
