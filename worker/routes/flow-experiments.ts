import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import type { AppEnv } from '../env';
import { endExperiment } from '../experiments/end-test';
import { SimulateBody, simulateFlow } from '../experiments/simulator/simulate-flow';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import { FlowsQuery } from './flows';

export const EndExperimentBody = z.strictObject({ winner: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'Expected a branch key') });
export type EndExperimentBody = z.infer<typeof EndExperimentBody>;

/** Split tests and the flow simulator: `POST /api/flows/:id/experiments/:experiment/end`, `POST /api/flows/:id/simulate`. */
export const flowExperimentRoutes = new Hono<AppEnv>()
  .post('/flows/:id/experiments/:experiment/end', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const body = await parseJsonBody(c, EndExperimentBody);
    const ending = { experiment: c.req.param('experiment'), winner: body.winner };
    const flow = await endExperiment(c.env, db(c.env.DB), q.store, c.req.param('id'), ending, Date.now(), (p) => c.executionCtx.waitUntil(p));
    return c.json({ flow });
  })
  .post('/flows/:id/simulate', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const body = await parseJsonBody(c, SimulateBody);
    return c.json({ simulation: await simulateFlow(db(c.env.DB), q.store, c.req.param('id'), body, Date.now()) });
  });
