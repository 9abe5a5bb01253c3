import { Hono } from 'hono';
import { z } from 'zod';
import { requireFlow } from '../contacts/runtime/flow-admin';
import { db, type Db } from '../db/client';
import { findAttributionWindows, saveAttributionWindows } from '../db/queries/attribution';
import { findStore } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';
import { flowExperimentResults } from '../experiments/flow-results';
import { flowStats, MAX_RANGE_DAYS, type FlowStats, type StatsRange } from '../measurement/flow-stats';

const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const Day = z.iso.date();
const DAY_MS = 86_400_000;

/** `from` and `to` are UTC days, both included; by default the last 30 days up to today. */
export const FlowStatsQuery = z
  .object({ store: StoreId, from: Day.optional(), to: Day.optional() })
  .transform((q) => {
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
    return { store: q.store, from, to };
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS < MAX_RANGE_DAYS, { message: `at most ${MAX_RANGE_DAYS} days`, path: ['from'] });
export type FlowStatsQuery = z.infer<typeof FlowStatsQuery>;

/** Hours after a touch in which an order is still credited to it; 0 turns that kind of touch off. */
const Hours = z.number().int().min(0).max(90 * 24);
export const AttributionWindowsBody = z
  .strictObject({ emailClickHours: Hours.optional(), emailOpenHours: Hours.optional(), smsClickHours: Hours.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one window' });
export type AttributionWindowsBody = z.infer<typeof AttributionWindowsBody>;

async function requireStoreId(d: Db, storeId: string): Promise<string> {
  if (!(await findStore(d, storeId))) throw notFound(`Store ${storeId}`);
  return storeId;
}

/**
 * A flow's results for a range of days (the admin API and the dashboard page share it). The flow is read
 * alone; only a store whose presets were never installed goes through the install (a write) first.
 */
export async function loadFlowStats(d: Db, storeId: string, flowId: string, range: StatsRange): Promise<FlowStats> {
  const stats = await flowStats(d, storeId, flowId, range);
  if (stats) return stats;
  await requireStoreId(d, storeId);
  await requireFlow(d, storeId, flowId, Date.now());
  const installed = await flowStats(d, storeId, flowId, range);
  if (!installed) throw notFound(`Flow ${flowId}`);
  return installed;
}

export const flowStatsRoutes = new Hono<AppEnv>()
  .get('/flows/:id/stats', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowStatsQuery);
    // A flow row exists only for a store that exists: the store is checked only when the flow is not found.
    const d = db(c.env.DB);
    const stats = await loadFlowStats(d, q.store, c.req.param('id'), { from: q.from, to: q.to });
    // Holdout and split results judge the contacts who ENTERED in these days (end of `to` included).
    const period = { from: Date.parse(q.from), to: Date.parse(q.to) + DAY_MS - 1 };
    return c.json({ ...stats, experiment: await flowExperimentResults(d, q.store, c.req.param('id'), period) });
  })
  .get('/stores/:store/attribution', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = await requireStoreId(d, c.req.param('store'));
    return c.json({ storeId, ...(await findAttributionWindows(d, storeId)) });
  })
  .patch('/stores/:store/attribution', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = await requireStoreId(d, c.req.param('store'));
    const patch = await parseJsonBody(c, AttributionWindowsBody);
    return c.json({ storeId, ...(await saveAttributionWindows(d, storeId, patch, Date.now())) });
  });
