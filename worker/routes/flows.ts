import { Hono } from 'hono';
import { z } from 'zod';
import { installPresetFlows, wakeFlowEnrollments } from '../contacts/flow-presets';
import { db, type Db } from '../db/client';
import { findContact } from '../db/queries/contacts';
import { findFlow, listFlows, saveFlowVersion, type FlowRow } from '../db/queries/flows';
import { listContactMessages } from '../db/queries/messages';
import { findStore, type Store } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { AppError, badRequest, notFound } from '../errors';
import { FlowPatch, applyFlowPatch, listSettings } from '../journeys/flow-patch';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody, parseQuery } from '../lib/validate';

const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

export const FlowsQuery = z.object({ store: StoreId });
export type FlowsQuery = z.infer<typeof FlowsQuery>;
export const MessagesQuery = z.object({
  store: StoreId,
  contact: z.string().min(1).max(64),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

async function requireStore(d: Db, storeId: string): Promise<Store> {
  const store = await findStore(d, storeId);
  if (!store) throw notFound(`Store ${storeId}`);
  return store;
}

/** A flow as the admin sees it: identity, state and every editable setting. */
function describeFlow(row: FlowRow) {
  const f = row.definition;
  return {
    id: f.id,
    name: f.name,
    description: f.description,
    version: f.version,
    enabled: f.enabled,
    liveSince: f.liveSince,
    updatedAt: row.updatedAt,
    settings: listSettings(f),
  };
}

async function requireFlow(d: Db, storeId: string, flowId: string): Promise<FlowRow> {
  await installPresetFlows(d, storeId, Date.now());
  const row = await findFlow(d, storeId, flowId);
  if (!row) throw notFound(`Flow ${flowId}`);
  return row;
}

export const flowsRoutes = new Hono<AppEnv>()
  .get('/flows', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    await installPresetFlows(d, store.id, Date.now());
    return c.json({ flows: (await listFlows(d, store.id)).map(describeFlow) });
  })
  .get('/flows/:id', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const row = await requireFlow(d, store.id, c.req.param('id'));
    return c.json({ flow: describeFlow(row), definition: row.definition });
  })
  .patch('/flows/:id', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const row = await requireFlow(d, store.id, c.req.param('id'));
    const patch = await parseJsonBody(c, FlowPatch);
    const result = applyFlowPatch(row.definition, patch);
    if (!result.ok) throw badRequest(`Invalid flow patch: ${result.problems.join('; ')}`, { problems: result.problems });
    if (!(await saveFlowVersion(d, store.id, result.flow, row.version, Date.now()))) {
      throw new AppError(409, 'conflict', `Flow ${row.id} was changed meanwhile; read it again`);
    }
    c.executionCtx.waitUntil(wakeFlowEnrollments(c.env, d, store.id, row.id, Date.now()));
    const saved = await requireFlow(d, store.id, row.id);
    return c.json({ flow: describeFlow(saved) });
  })
  .get('/messages', adminAuth(), async (c) => {
    const q = parseQuery(c, MessagesQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    if (!(await findContact(d, store.id, q.contact))) throw notFound(`Contact ${q.contact}`);
    return c.json({ messages: await listContactMessages(d, store.id, q.contact, q.limit) });
  });
