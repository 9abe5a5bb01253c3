import { Hono } from 'hono';
import { z } from 'zod';
import { requireFlow } from '../../contacts/runtime/flow-admin';
import { db, type Db } from '../../db/client';
import { findAttributionWindows, saveAttributionWindows } from '../../db/queries/attribution';
import { storePath, type PageProps } from '../../dashboard/layout';
import { AttributionPage } from '../../dashboard/views/attribution';
import { FlowResultsPage } from '../../dashboard/views/flow-results';
import type { StartTestState } from '../../dashboard/views/flow-experiments';
import { badRequest, validationError } from '../../errors';
import { endExperiment } from '../../experiments/end-test';
import { saveNextVersion } from '../../experiments/flow-definition';
import { flowExperimentResults } from '../../experiments/flow-results';
import { reusableSteps, startSequenceTest } from '../../experiments/sequence-test';
import { Flow } from '../../journeys/flow-schema';
import { resolveString } from '../../journeys/resolve';
import { FlowStatsQuery, loadFlowStats } from '../flow-stats';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';
import { sequenceTestFromForm } from './test-form';

const FormHours = z.coerce.number().int().min(0).max(2160);
export const AttributionForm = z.object({ emailClickHours: FormHours, emailOpenHours: FormHours, smsClickHours: FormHours });
export type AttributionForm = z.infer<typeof AttributionForm>;
export const EndTestForm = z.object({ winner: z.string().regex(/^[a-z0-9_-]{1,32}$/), confirm: z.literal('on') });
export type EndTestForm = z.infer<typeof EndTestForm>;
const DAY_MS = 86_400_000;

async function flowTests(d: Db, storeId: string, flowId: string, range: { from: string; to: string }, state?: StartTestState) {
  const row = await requireFlow(d, storeId, flowId, Date.now());
  const flow = Flow.parse(row.definition);
  // The same entrants as GET /api/flows/:id/stats: those who entered in these days (end of `to` included).
  const results = await flowExperimentResults(d, storeId, flowId, { from: Date.parse(range.from), to: Date.parse(range.to) + DAY_MS - 1 });
  const steps = reusableSteps(flow).map((n) => ({ id: n.id, kind: n.type, template: n.type === 'issue_coupon' ? null : resolveString(flow, n.template) }));
  return { results, version: row.version, running: flow.nodes.some((n) => n.type === 'split'), steps, state };
}

/** The results page; a refused start form comes back with its values (400), a notice after a redirect. */
async function renderResults(c: DashboardContext, status: 200 | 400 | 409 = 200, state?: StartTestState, notice?: PageProps['notice']) {
  const store = await requireDashboardStore(c);
  const q = FlowStatsQuery.safeParse({ ...c.req.query(), store: store.id });
  if (!q.success) throw validationError(q.error, 'query');
  const d = db(c.env.DB);
  const range = { from: q.data.from, to: q.data.to };
  const [stats, tests] = await Promise.all([loadFlowStats(d, store.id, c.req.param('flow') ?? '', range), flowTests(d, store.id, c.req.param('flow') ?? '', range, state)]);
  return c.html(<FlowResultsPage {...base(c)} store={store} stats={stats} tests={tests} notice={notice} />, status);
}

const resultsPath = (storeId: string, flowId: string, query: string) => storePath(storeId, `/flows/${encodeURIComponent(flowId)}/results?${query}`);

/** A flow's results page (tests, holdout, starting and ending a test) and the store's attribution windows form. */
export const resultsPages = new Hono<DashboardEnv>()
  .get('/:store/flows/:flow/results', async (c) => {
    const t = c.get('t').results;
    const ended = c.req.query('ended');
    const version = Number(c.req.query('version'));
    if (ended && /^[a-z0-9_-]{1,32}$/.test(ended) && version > 0) return renderResults(c, 200, undefined, { kind: 'notice', text: t.tests.endedNotice(ended, version) });
    if (c.req.query('started') && version > 0) return renderResults(c, 200, undefined, { kind: 'notice', text: t.start.started(version) });
    return renderResults(c);
  })
  .post('/:store/flows/:flow/experiments', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const t = c.get('t');
    const row = await requireFlow(d, store.id, c.req.param('flow'), Date.now());
    const current = Flow.parse(row.definition);
    const form = sequenceTestFromForm(c.get('form'), t, current.concluded.map((x) => x.experiment));
    if (!form.ok) return renderResults(c, 400, form.state);
    if (form.expectedVersion !== row.version) return renderResults(c, 409, undefined, { kind: 'error', text: t.errors.conflict });
    const built = startSequenceTest(current, form.test);
    if (!built.ok) return renderResults(c, 400, { values: c.get('form'), errors: { steps: built.problems } }, { kind: 'error', text: t.errors.invalid, details: built.problems });
    const saved = await saveNextVersion(c.env, d, store.id, row, built.flow, Date.now(), (p) => c.executionCtx.waitUntil(p));
    return c.redirect(`${resultsPath(store.id, row.id, `started=1&version=${saved.version}`)}#ab`, 303);
  })
  .post('/:store/flows/:flow/experiments/:experiment/end', async (c) => {
    const store = await requireDashboardStore(c);
    const form = EndTestForm.safeParse(c.get('form'));
    if (!form.success) throw badRequest(c.get('t').errors.badRequest);
    const ending = { experiment: c.req.param('experiment'), winner: form.data.winner };
    const flow = await endExperiment(c.env, db(c.env.DB), store.id, c.req.param('flow'), ending, Date.now(), (p) => c.executionCtx.waitUntil(p));
    return c.redirect(resultsPath(store.id, flow.id, `ended=${encodeURIComponent(form.data.winner)}&version=${flow.version}`), 303);
  })
  .get('/:store/attribution', async (c) => {
    const store = await requireDashboardStore(c);
    const windows = await findAttributionWindows(db(c.env.DB), store.id);
    return c.html(<AttributionPage {...base(c)} store={store} windows={windows} saved={c.req.query('saved') === '1'} invalid={[]} />);
  })
  .post('/:store/attribution', async (c) => {
    const store = await requireDashboardStore(c);
    const d = db(c.env.DB);
    const form = AttributionForm.safeParse(c.get('form'));
    if (!form.success) {
      const invalid = form.error.issues.map((i) => String(i.path[0]));
      const windows = await findAttributionWindows(d, store.id);
      return c.html(<AttributionPage {...base(c)} store={store} windows={windows} saved={false} invalid={invalid} />, 400);
    }
    await saveAttributionWindows(d, store.id, form.data, Date.now());
    return c.redirect(storePath(store.id, '/attribution?saved=1'), 303);
  });
