import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import { requireStore } from '../deliverability/breaker';
import type { AppEnv } from '../env';
import { notFound, validationError } from '../errors';
import { retryIngestFailure } from '../ingest/retry-failure';
import { adminAuth } from '../lib/bearer-auth';

export const FailureId = z.coerce.number().int().positive();
export type FailureId = z.infer<typeof FailureId>;

/** Parked ingest messages (`ingest_failures`, listed by `GET /api/stores/:store`) go back to the queue on request. */
export const ingestFailureRoutes = new Hono<AppEnv>().post('/stores/:store/ingest-failures/:id/retry', adminAuth(), async (c) => {
  const d = db(c.env.DB);
  const store = await requireStore(d, c.req.param('store'));
  const id = FailureId.safeParse(c.req.param('id'));
  if (!id.success) throw validationError(id.error, 'id');
  if (!(await retryIngestFailure(c.env, d, store.id, id.data))) throw notFound(`Ingest failure ${id.data}`);
  return c.json({ ok: true, retried: id.data }, 202);
});
