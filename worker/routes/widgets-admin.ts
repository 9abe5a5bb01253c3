import { Hono } from 'hono';
import { z } from 'zod';
import { db, type Db } from '../db/client';
import { findStore } from '../db/queries/stores';
import { deleteWidget, saveWidget, widgetsWithResults } from '../db/queries/widgets';
import type { AppEnv } from '../env';
import { notFound, validationError } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody } from '../lib/validate';
import { WidgetInput } from '../widgets/config';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only');
export const WidgetParams = z.object({ store: Id, id: Id });
export type WidgetParams = z.infer<typeof WidgetParams>;

async function storeIdOf(d: Db, store: string): Promise<string> {
  if (!(await findStore(d, store))) throw notFound(`Store ${store}`);
  return store;
}

/** Sign-up widgets of a store, with their results; PUT creates or replaces one (config validated by WidgetInput). */
export const widgetAdmin = new Hono<AppEnv>()
  .get('/stores/:store/widgets', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = await storeIdOf(d, c.req.param('store'));
    return c.json(await widgetsWithResults(d, storeId));
  })
  .put('/stores/:store/widgets/:id', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const parsed = WidgetParams.safeParse(c.req.param());
    if (!parsed.success) throw validationError(parsed.error, 'path');
    const params = parsed.data;
    const storeId = await storeIdOf(d, params.store);
    const input = await parseJsonBody(c, WidgetInput);
    const now = Date.now();
    const saved = await saveWidget(d, { id: params.id, storeId, kind: input.kind, enabled: input.enabled, config: input.config, createdAt: now, updatedAt: now });
    return c.json(saved);
  })
  .delete('/stores/:store/widgets/:id', adminAuth(), async (c) => {
    const d = db(c.env.DB);
    const storeId = await storeIdOf(d, c.req.param('store'));
    if (!(await deleteWidget(d, storeId, c.req.param('id')))) throw notFound('Widget');
    return c.body(null, 204);
  });
