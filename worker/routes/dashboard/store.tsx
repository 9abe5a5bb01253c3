import { Hono } from 'hono';
import { z } from 'zod';
import { describeFlow, editFlow, requireFlow, storeFlows } from '../../contacts/runtime/flow-admin';
import { db } from '../../db/client';
import { flowSummaries } from '../../db/queries/flow-stats';
import { storeCounts, webhookHealth } from '../../db/queries/admin-views';
import { hibernationStats } from '../../db/queries/hibernation';
import { acknowledgePause } from '../../deliverability/breaker';
import { reputationReport } from '../../deliverability/report';
import { storePath, type PageProps } from '../../dashboard/layout';
import { FlowsPage, type FlowFormState } from '../../dashboard/views/flows';
import { OverviewPage } from '../../dashboard/views/overview';
import { flowName } from '../../dashboard/flow-copy';
import { AppError } from '../../errors';
import { messageSteps } from '../../editor/steps';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';
import { flowPatchFromForm } from './flow-form';
import { loadOnboarding } from './onboarding';

const Notice = z.enum(['ack', 'nothing_to_ack', 'saved', 'retried', 'retry_gone']).optional();
export const OverviewQuery = z.object({ notice: Notice.catch(undefined) });
export type OverviewQuery = z.infer<typeof OverviewQuery>;
export const FlowsQuery = z.object({ saved: z.string().max(64).optional() });
export type FlowsQuery = z.infer<typeof FlowsQuery>;

async function renderFlows(c: DashboardContext, notice?: PageProps['notice'], status: 200 | 400 | 409 = 200, state?: FlowFormState) {
  const store = await requireDashboardStore(c);
  const rows = await storeFlows(db(c.env.DB), store.id, Date.now());
  const messages = Object.fromEntries(rows.map((r) => [r.id, messageSteps(r.definition)]));
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  const results = Object.fromEntries((await flowSummaries(db(c.env.DB), store.id, from, to)).map((r) => [r.flowId, r]));
  return c.html(
    <FlowsPage {...base(c)} path={storePath(store.id, '/flows')} store={store} flows={rows.map(describeFlow)} messages={messages} notice={notice} state={state} results={results} />,
    status,
  );
}

/** Store overview (sending state, reputation, webhook health, counts) and the flows editor. */
export const storePages = new Hono<DashboardEnv>()
  .get('/:store', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const t = c.get('t');
    const q = OverviewQuery.parse(c.req.query());
    const [reputation, webhooks, counts, hibernation, onboarding] = await Promise.all([
      reputationReport(d, store, c.get('lang'), Date.now()),
      webhookHealth(d, store.id, 10),
      storeCounts(d, store.id),
      hibernationStats(d, store.id),
      loadOnboarding(d, store, Date.now()),
    ]);
    const notices = { ack: t.overview.acknowledged, nothing_to_ack: t.overview.nothingToAck, retried: t.overview.retried, retry_gone: t.overview.retryGone, saved: undefined };
    const notice = q.notice ? notices[q.notice] : undefined;
    return c.html(
      <OverviewPage
        {...base(c)}
        store={store}
        reputation={reputation}
        webhooks={webhooks}
        counts={counts}
        hibernation={hibernation}
        onboarding={onboarding}
        notice={notice ? { kind: 'notice', text: notice } : undefined}
      />,
    );
  })
  // The pause alert email links here.
  .get('/:store/reputation', async (c) => {
    const store = await requireDashboardStore(c);
    return c.redirect(`${storePath(store.id)}#reputation`, 303);
  })
  .post('/:store/reputation/ack', async (c) => {
    const store = await requireDashboardStore(c);
    try {
      await acknowledgePause(db(c.env.DB), store.id, Date.now());
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return c.redirect(`${storePath(store.id)}?notice=nothing_to_ack`, 303);
      throw err;
    }
    return c.redirect(`${storePath(store.id)}?notice=ack`, 303);
  })
  .get('/:store/flows', async (c) => {
    const q = FlowsQuery.parse(c.req.query());
    if (!q.saved) return renderFlows(c);
    const store = await requireDashboardStore(c);
    const row = await requireFlow(db(c.env.DB), store.id, q.saved, Date.now());
    return renderFlows(c, { kind: 'notice', text: c.get('t').flows.saved(flowName(row.id, c.get('lang'), row.definition.name), row.version) });
  })
  .post('/:store/flows/:flow', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const t = c.get('t');
    const current = await requireFlow(d, store.id, c.req.param('flow'), Date.now());
    const form = c.get('form');
    const parsed = flowPatchFromForm(form, describeFlow(current).settings, t, c.get('lang'));
    if (!parsed.ok) {
      const name = flowName(current.id, c.get('lang'), current.definition.name);
      const state = { flowId: current.id, values: form, errors: parsed.fieldErrors };
      return renderFlows(c, { kind: 'error', text: t.flows.refused(name), details: parsed.problems }, 400, state);
    }
    try {
      const edit = { patch: parsed.patch, expectedVersion: parsed.expectedVersion };
      await editFlow(c.env, d, store.id, current.id, edit, Date.now(), (p) => c.executionCtx.waitUntil(p));
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      const notice = err.status === 409 ? { kind: 'error' as const, text: t.errors.conflict } : { kind: 'error' as const, text: t.errors.invalid, details: problemsOf(err) };
      return renderFlows(c, notice, err.status);
    }
    return c.redirect(`${storePath(store.id, '/flows')}?saved=${encodeURIComponent(current.id)}#flow-${encodeURIComponent(current.id)}`, 303);
  });

function problemsOf(err: AppError): string[] {
  const details = z.object({ problems: z.array(z.string()) }).safeParse(err.details);
  return details.success ? details.data.problems : [err.message];
}
