import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../db/client';
import type { AppEnv } from '../env';
import { endExperiment } from '../experiments/end-test';
import { flowExperimentResults } from '../experiments/flow-results';
import { Instant, SimulateBody, simulateFlow } from '../experiments/simulator/simulate-flow';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import { FlowsQuery } from './flows';

export const EndExperimentBody = z.strictObject({ winner: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'Expected a branch key') });
export type EndExperimentBody = z.infer<typeof EndExperimentBody>;

const DAY_MS = 86_400_000;
const QueryInstant = z.union([z.string().regex(/^\d{1,15}$/, 'epoch milliseconds').transform(Number), Instant]);
/** Which entrants to judge: `from` defaults to 90 days before `to`, `to` to now. */
export const ExperimentsQuery = FlowsQuery.extend({ from: QueryInstant.optional(), to: QueryInstant.optional() });
export type ExperimentsQuery = z.infer<typeof ExperimentsQuery>;

/** Split tests, the holdout and the flow simulator (see the README's HTTP table). */
export const flowExperimentRoutes = new Hono<AppEnv>()
  .get('/flows/:id/experiments', adminAuth(), async (c) => {
    const q = parseQuery(c, ExperimentsQuery);
    const to = q.to ?? Date.now();
    const period = { from: q.from ?? to - 90 * DAY_MS, to };
    return c.json({ results: await flowExperimentResults(db(c.env.DB), q.store, c.req.param('id'), period) });
  })
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
