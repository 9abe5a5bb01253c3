import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../../db/client';
import { findWidget, saveWidget, widgetsWithResults } from '../../db/queries/widgets';
import type { Store } from '../../db/queries/stores';
import { WidgetsPage } from '../../dashboard/views/widgets';
import { storePath } from '../../dashboard/layout';
import { parseWidgetForm, widgetFieldErrors, widgetFormValues, type WidgetFormValues } from '../../widgets/form';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';

export const WidgetEditQuery = z.object({ edit: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined), saved: z.literal('1').optional().catch(undefined) });
export type WidgetEditQuery = z.infer<typeof WidgetEditQuery>;
const WidgetId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

async function render(c: DashboardContext, store: Store, values: WidgetFormValues, errors: Partial<Record<string, true>>, status: 200 | 400, notice?: 'saved' | 'invalid') {
  const { widgets: rows, carousels } = await widgetsWithResults(db(c.env.DB), store.id);
  const t = c.get('t').widgets;
  const text = notice === 'saved' ? { kind: 'notice' as const, text: t.saved } : notice === 'invalid' ? { kind: 'error' as const, text: t.invalid } : undefined;
  const props = { ...base(c), path: storePath(store.id, '/widgets'), store, rows, carousels, values, errors, notice: text };
  return c.html(<WidgetsPage {...props} />, status);
}

/** /admin/stores/:store/widgets: results per widget and the pop-up/inlay form (saved through the API's schema). */
export const widgetPages = new Hono<DashboardEnv>()
  .get('/:store/widgets', async (c) => {
    const store = await requireDashboardStore(c);
    const query = WidgetEditQuery.parse(c.req.query());
    const widget = query.edit ? await findWidget(db(c.env.DB), store.id, query.edit) : undefined;
    return render(c, store, widgetFormValues(widget), {}, 200, query.saved ? 'saved' : undefined);
  })
  .post('/:store/widgets', async (c) => {
    const store = await requireDashboardStore(c);
    const values = c.get('form') as WidgetFormValues;
    const id = WidgetId.safeParse(values.id);
    const parsed = parseWidgetForm(values);
    if (!id.success || !parsed.success) {
      const errors = { ...(parsed.success ? {} : widgetFieldErrors(parsed.error.issues)), ...(id.success ? {} : { id: true as const }) };
      return render(c, store, values, errors, 400, 'invalid');
    }
    const now = Date.now();
    await saveWidget(db(c.env.DB), { id: id.data, storeId: store.id, ...parsed.data, createdAt: now, updatedAt: now });
    return c.redirect(`${storePath(store.id, '/widgets')}?edit=${encodeURIComponent(id.data)}&saved=1`, 303);
  });
