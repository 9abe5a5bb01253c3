import { Hono } from 'hono';
import { z } from 'zod';
import { describeFlow, editFlow, requireFlow, storeFlows } from '../contacts/runtime/flow-admin';
import { db, type Db } from '../db/client';
import { findContact } from '../db/queries/contacts';
import { listContactMessages } from '../db/queries/messages';
import { findStore, type Store } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { FlowDefinitionBody, saveDefinition } from '../experiments/flow-definition';
import { FlowPatch } from '../journeys/flow-patch';
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

export const flowsRoutes = new Hono<AppEnv>()
  .get('/flows', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    return c.json({ flows: (await storeFlows(d, store.id, Date.now())).map(describeFlow) });
  })
  .get('/flows/:id', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const row = await requireFlow(d, store.id, c.req.param('id'), Date.now());
    return c.json({ flow: describeFlow(row), definition: row.definition });
  })
  .patch('/flows/:id', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const patch = await parseJsonBody(c, FlowPatch);
    const saved = await editFlow(c.env, d, store.id, c.req.param('id'), { patch }, Date.now(), (p) => c.executionCtx.waitUntil(p));
    return c.json({ flow: describeFlow(saved) });
  })
  // A whole definition (e.g. a split whose branches are whole sequences), saved as the flow's next version.
  .put('/flows/:id/definition', adminAuth(), async (c) => {
    const q = parseQuery(c, FlowsQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    const body = await parseJsonBody(c, FlowDefinitionBody);
    const flow = await saveDefinition(c.env, d, store.id, c.req.param('id'), body, Date.now(), (p) => c.executionCtx.waitUntil(p));
    return c.json({ flow });
  })
  .get('/messages', adminAuth(), async (c) => {
    const q = parseQuery(c, MessagesQuery);
    const d = db(c.env.DB);
    const store = await requireStore(d, q.store);
    if (!(await findContact(d, store.id, q.contact))) throw notFound(`Contact ${q.contact}`);
    return c.json({ messages: await listContactMessages(d, store.id, q.contact, q.limit) });
  });
