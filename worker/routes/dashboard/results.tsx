import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../../db/client';
import { findAttributionWindows, saveAttributionWindows } from '../../db/queries/attribution';
import { storePath } from '../../dashboard/layout';
import { AttributionPage } from '../../dashboard/views/attribution';
import { FlowResultsPage } from '../../dashboard/views/flow-results';
import { validationError } from '../../errors';
import { FlowStatsQuery, loadFlowStats } from '../flow-stats';
import { base, requireDashboardStore, type DashboardEnv } from './context';

const FormHours = z.coerce.number().int().min(0).max(2160);
export const AttributionForm = z.object({ emailClickHours: FormHours, emailOpenHours: FormHours, smsClickHours: FormHours });
export type AttributionForm = z.infer<typeof AttributionForm>;

/** A flow's results page and the store's attribution windows form. */
export const resultsPages = new Hono<DashboardEnv>()
  .get('/:store/flows/:flow/results', async (c) => {
    const store = await requireDashboardStore(c);
    const q = FlowStatsQuery.safeParse({ ...c.req.query(), store: store.id });
    if (!q.success) throw validationError(q.error, 'query');
    const stats = await loadFlowStats(db(c.env.DB), store.id, c.req.param('flow'), { from: q.data.from, to: q.data.to });
    return c.html(<FlowResultsPage {...base(c)} store={store} stats={stats} />);
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
