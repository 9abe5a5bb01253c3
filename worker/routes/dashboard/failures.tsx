import { Hono } from 'hono';
import { db } from '../../db/client';
import { storePath } from '../../dashboard/layout';
import { retryIngestFailure } from '../../ingest/retry-failure';
import { FailureId } from '../ingest-failures';
import { requireDashboardStore, type DashboardEnv } from './context';

/** The overview's retry button for a parked ingest message (same logic as the admin API's retry route). */
export const failurePages = new Hono<DashboardEnv>().post('/:store/ingest-failures/:id/retry', async (c) => {
  const store = await requireDashboardStore(c);
  const id = FailureId.safeParse(c.req.param('id'));
  const retried = id.success && (await retryIngestFailure(c.env, db(c.env.DB), store.id, id.data));
  return c.redirect(`${storePath(store.id)}?notice=${retried ? 'retried' : 'retry_gone'}#failures`, 303);
});
